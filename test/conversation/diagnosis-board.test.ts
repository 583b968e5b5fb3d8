import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionState } from '../../src/conversation/action-state.js';
import { DiagnosisBoard } from '../../src/conversation/diagnosis-board.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const state = { step: 'creating' } as unknown as ActionState;

describe('DiagnosisBoard: no key lives forever', () => {
  let redis: Redis;
  let prefix: string;
  let board: DiagnosisBoard;
  const ttl = (id: string) => redis.ttl(`${prefix}:board:${id}`);

  beforeAll(() => {
    redis = newRedis();
    prefix = uniquePrefix('board');
    board = new DiagnosisBoard({ redis, prefix, ttlSeconds: 600 });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it.each([
    ['an action on a diagnosis the board never held', (id: string) => board.setAction(id, 'c0', state)],
    ['an action kept for a pod on a diagnosis never held', (id: string) => board.setAction(id, 'c0', state, 30)],
    ['a prefix on a diagnosis never held', (id: string) => board.setPrefix(id, [])],
  ])('%s gets an expiry', async (_name, write) => {
    const id = `never-saved-${Math.random().toString(36).slice(2)}`;
    await write(id);
    expect(await ttl(id)).toBeGreaterThan(0);
    expect(await ttl(id)).toBeLessThanOrEqual(600);
  });

  it('an action that must outlive the entry extends it, and a shorter one never shortens it', async () => {
    await board.save('saved', { channel: 'C1', ts: '1.1', message: { text: 'x' } }, 60);
    await board.setAction('saved', 'c0', state, 3600);
    expect(await ttl('saved')).toBeGreaterThan(3500);
    await board.setAction('saved', 'c0', state, 10);
    expect(await ttl('saved')).toBeGreaterThan(3500);
  });
});
