import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRequestRef, isRequestId, parseRequestRef } from '../../src/approvals/index.js';

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);

describe('button values', () => {
  it('a request id, with or without a container index, reads back as written', () => {
    fc.assert(
      fc.property(idArb, fc.option(fc.nat({ max: 999 }), { nil: undefined }), (id, index) => {
        const value = formatRequestRef(id, index);
        expect(parseRequestRef(value)).toEqual(index === undefined ? { id } : { id, index });
        expect(value).not.toContain(':');
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['a Redis key part', 'approval:abcdefghijklmnopqrstuv'],
    ['too short', 'abc'],
    ['a non-numeric index', 'abcdefghijklmnopqrstuv#x'],
    ['two indexes', 'abcdefghijklmnopqrstuv#1#2'],
    ['a glob', 'abcdefghijklmnopqrstu*'],
  ])('%s is not one of ours', (_name, value) => {
    expect(parseRequestRef(value)).toBeUndefined();
  });

  it('accepts the ids the store makes', () => {
    expect(isRequestId('Zm9vYmFyYmF6cXV4cXV1eA')).toBe(true);
  });
});
