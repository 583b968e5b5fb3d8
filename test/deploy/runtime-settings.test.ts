import { describe, expect, it } from 'vitest';
import { productionRuntimeEnv, readRuntimeEnv } from '../../bench/_production-runtime.js';

// The benchmarks' memory figures hold for the install only if every Deployment that runs the bot runs it as
// bench/run.ts does: with the base Deployment's NODE_OPTIONS and malloc tuning.
describe('Node and malloc settings of the shipped install', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const base = productionRuntimeEnv(root);

  it('the base Deployment caps the old generation and the young generation, and tunes malloc', () => {
    expect(base.NODE_OPTIONS?.split(/\s+/)).toEqual(['--max-old-space-size=256', '--max-semi-space-size=8']);
    expect(base).toMatchObject({ MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' });
  });

  it('the gateway runs with the same settings', () => {
    expect(readRuntimeEnv(`${root}deploy/overlays/gateway/gateway.yaml`)).toEqual([base]);
  });
});
