import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../sim/kube/clock.js';
import { MemoryStore, StoreError } from '../sim/kube/store.js';
import type { KubeObject } from '../sim/kube/store-contract.js';

const cm = (namespace: string, name: string, v = '1') => ({ metadata: { namespace, name }, data: { v } });

describe('MemoryStore', () => {
  it('gives every write a higher resourceVersion, across resources', () => {
    const s = new MemoryStore({ clock: new ManualClock() });
    const a = s.create('configmaps', cm('ns', 'a'));
    const b = s.create('pods', { metadata: { namespace: 'ns', name: 'p' } });
    const a2 = s.update('configmaps', { ...a, data: { v: '2' } });
    expect([a, b, a2].map((o) => Number(o.metadata.resourceVersion))).toEqual([2, 3, 4]);
    expect(s.currentResourceVersion()).toBe('4');
  });

  it('copies in and out: changing what it returned or was given changes nothing stored', () => {
    const s = new MemoryStore({ clock: new ManualClock() });
    const given = cm('ns', 'a');
    const got = s.create('configmaps', given);
    given.data.v = 'given';
    got.data.v = 'got';
    const read = s.get('configmaps', 'ns', 'a');
    if (read) read.data.v = 'read';
    expect(s.get('configmaps', 'ns', 'a')?.data).toEqual({ v: '1' });
  });

  it('fills apiVersion, kind, uid and creationTimestamp, and refuses duplicates and missing objects', () => {
    const s = new MemoryStore({ clock: new ManualClock(Date.parse('2026-11-23T09:00:00.700Z')) });
    const o = s.create('pods', { metadata: { namespace: 'ns', name: 'p' } });
    expect(o).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: '2026-11-23T09:00:00Z' } });
    expect(() => s.create('pods', { metadata: { namespace: 'ns', name: 'p' } })).toThrow(StoreError);
    expect(() => s.update('pods', { metadata: { namespace: 'ns', name: 'q' } })).toThrow('pods "q" not found');
    expect(() => s.remove('pods', 'ns', 'q')).toThrow(StoreError);
  });

  it('tells subscribers every change, synchronously, with a copy', () => {
    const s = new MemoryStore({ clock: new ManualClock() });
    const seen: string[] = [];
    const off = s.subscribe((c) => {
      seen.push(`${c.type} ${c.resource} ${c.object.metadata.name}`);
      c.object.metadata.name = 'mutated';
    });
    s.create('configmaps', cm('ns', 'a'));
    s.remove('configmaps', 'ns', 'a');
    off();
    s.create('configmaps', cm('ns', 'b'));
    expect(seen).toEqual(['ADDED configmaps a', 'DELETED configmaps a']);
  });

  it('keeps a bounded history: older resourceVersions can no longer be resumed', () => {
    const s = new MemoryStore({ clock: new ManualClock(), historySize: 3 });
    for (let i = 0; i < 5; i++) s.create('configmaps', cm('ns', `c${i}`));
    expect(s.since(1)).toEqual({ ok: false, oldest: 3 });
    const r = s.since(4);
    expect(r.ok && r.entries.map((e) => e.object.metadata.name)).toEqual(['c3', 'c4']);
    s.compact();
    expect(s.canResume(5)).toBe(false);
    expect(s.canResume(6)).toBe(true);
  });

  const op = fc.oneof(
    fc.record({
      kind: fc.constant('put' as const),
      ns: fc.constantFrom('a', 'b'),
      name: fc.constantFrom('x', 'y', 'z', 'w'),
      v: fc.string({ maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('del' as const),
      ns: fc.constantFrom('a', 'b'),
      name: fc.constantFrom('x', 'y', 'z', 'w'),
    }),
  );
  type Op = { kind: 'put'; ns: string; name: string; v: string } | { kind: 'del'; ns: string; name: string };
  const apply = (s: MemoryStore, o: Op): void => {
    const exists = s.get('configmaps', o.ns, o.name);
    if (o.kind === 'del') {
      if (exists) s.remove('configmaps', o.ns, o.name);
    } else if (exists) s.update('configmaps', { ...exists, data: { v: o.v } });
    else s.create('configmaps', cm(o.ns, o.name, o.v));
  };
  const view = (entries: Iterable<[string, KubeObject]>) => [...entries].map(([k, o]) => `${k}=${o.data?.v}`);

  it('orderedAt(rv) shows exactly the state the store had at rv, in key order', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 30 }),
        fc.array(op, { maxLength: 30 }),
        fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
        (before, after, ns) => {
          const s = new MemoryStore({ clock: new ManualClock() });
          for (const o of before) apply(s, o);
          const rv = Number(s.currentResourceVersion());
          const snapshot = view(s.ordered('configmaps', ns));
          for (const o of after) apply(s, o);
          expect(view(s.orderedAt('configmaps', ns, undefined, rv))).toEqual(snapshot);
          // Resuming after any key of the snapshot gives the rest of it.
          snapshot.forEach((entry, i) => {
            const key = entry.slice(0, entry.indexOf('='));
            expect(view(s.orderedAt('configmaps', ns, key, rv))).toEqual(snapshot.slice(i + 1));
          });
        },
      ),
    );
  });
});
