import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatActionId,
  isDiagnosisId,
  jobIdOf,
  parseActionId,
  REQUEST_BUTTON_PATTERN,
  requestButtonId,
  SLOT_KEY_PATTERN,
  type Slot,
  slotKey,
} from '../../src/actions/index.js';

const diagnosisId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const slot: fc.Arbitrary<Slot> = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map((container) => ({ kind: 'clone' as const, container })),
  fc.integer({ min: 0, max: 999 }).map((container) => ({ kind: 'ephemeral' as const, container })),
  fc.constant({ kind: 'node-shell' as const }),
);

describe('the one action id codec', () => {
  it('every slot key is one the diagnosis record accepts', () => {
    fc.assert(
      fc.property(slot, (s) => {
        expect(slotKey(s)).toMatch(SLOT_KEY_PATTERN);
      }),
    );
  });

  it('every action id reads back as the action it was made from, and holds no ":" for BullMQ', () => {
    fc.assert(
      fc.property(diagnosisId, slot, (id, s) => {
        const actionId = formatActionId({ diagnosisId: id, slot: s });
        expect(parseActionId(actionId)).toEqual({ diagnosisId: id, slot: s });
        expect(jobIdOf('create', actionId)).not.toContain(':');
        expect(actionId.endsWith(`.${slotKey(s)}`)).toBe(true);
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['no slot', 'AbCdEfGh12'],
    ['old clone value with #', 'AbCdEfGh12#0'],
    ['unknown slot letter', 'AbCdEfGh12.x'],
    ['index too long', 'AbCdEfGh12.c1000'],
    ['debug container without an index', 'AbCdEfGh12.e'],
    ['debug container index too long', 'AbCdEfGh12.e1000'],
    ['colon in id', 'AbCd:fGh12.n'],
    ['too short id', 'Ab.n'],
    ['trailing junk', 'AbCdEfGh12.n '],
    ['a number', 42],
    ['an object', { diagnosisId: 'AbCdEfGh12' }],
  ])('refuses %s', (_name, value) => {
    expect(parseActionId(value)).toBeUndefined();
  });

  it('refuses to format an id it could not read back', () => {
    expect(() => formatActionId({ diagnosisId: 'a.b', slot: { kind: 'node-shell' } })).toThrow(/diagnosis id/);
    expect(isDiagnosisId('a:bcdefghij')).toBe(false);
  });

  it('every request button id matches the one pattern the handler listens on, and ids are unique per slot', () => {
    const ids = [0, 1, 2, 17].flatMap((c) => [
      requestButtonId({ kind: 'clone', container: c }),
      requestButtonId({ kind: 'ephemeral', container: c }),
    ]);
    ids.push(requestButtonId({ kind: 'node-shell' }));
    for (const id of ids) expect(id).toMatch(REQUEST_BUTTON_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect('debugdead.approve').not.toMatch(REQUEST_BUTTON_PATTERN);
  });
});
