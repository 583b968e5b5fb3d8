import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../src/conversation/in-flight-limit.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('InFlightLimit', () => {
  it('runs up to the limit at once; the rest wait, told how many are ahead, and start in order', async () => {
    const limit = new InFlightLimit(2);
    const turns = Array.from({ length: 5 }, () => limit.take());
    expect(turns.map((t) => [t.queued, t.ahead])).toEqual([
      [false, 0],
      [false, 0],
      [true, 0],
      [true, 1],
      [true, 2],
    ]);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const done = turns.map((t, i) =>
      t.run(
        () =>
          new Promise<void>((resolve) => {
            started.push(i);
            finish[i] = resolve;
          }),
      ),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    finish[1]?.();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    // A newcomer while others wait joins the back of the line, even as a slot frees.
    const late = limit.take();
    expect([late.queued, late.ahead]).toEqual([true, 2]);
    finish[0]?.();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3]) finish[i]?.();
    await tick();
    finish[4]?.();
    await late.run(async () => {});
    await Promise.all(done);
    expect(limit.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('a failing diagnosis frees its slot', async () => {
    const limit = new InFlightLimit(1);
    await expect(limit.take().run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limit.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('never runs more than the limit at once, and runs every piece of work exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(3), { maxLength: 30 }), async (max, delays) => {
        const limit = new InFlightLimit(max);
        let running = 0;
        let peak = 0;
        let ran = 0;
        await Promise.all(
          delays.map((d) =>
            limit.take().run(async () => {
              running++;
              peak = Math.max(peak, running);
              for (let i = 0; i < d; i++) await tick();
              running--;
              ran++;
            }),
          ),
        );
        return peak <= max && ran === delays.length && limit.stats().running === 0;
      }),
    );
  });
});
