import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/index.js';

const build = { version: '1.0.0', commit: 'abc', node: 'v24' };

describe('/metrics job gauges', () => {
  it('one process: the queue by state, unlabelled by cluster', async () => {
    const metrics = createMetrics({ build, jobCounts: async () => ({ waiting: 2, delayed: 1, completed: 7 }) });
    const { body } = await metrics.render();
    expect(body).toContain('debugdead_jobs{state="completed"} 7');
    expect(body).toContain('debugdead_queue_depth 3');
    expect(body).not.toContain('cluster=');
  });

  it("a gateway: each cluster's queue, labelled with its cluster, and no unlabelled depth", async () => {
    const metrics = createMetrics({
      build,
      jobCounts: async () => ({ waiting: 99 }),
      clusterJobCounts: async () => ({
        'prod-eu': { waiting: 1, delayed: 2, completed: 4 },
        staging: { waiting: 0, delayed: 0, completed: 0 },
      }),
    });
    const { body } = await metrics.render();
    expect(body).toContain('debugdead_jobs{state="delayed",cluster="prod-eu"} 2');
    expect(body).toContain('debugdead_jobs{state="completed",cluster="prod-eu"} 4');
    expect(body).toContain('debugdead_queue_depth{cluster="prod-eu"} 3');
    expect(body).toContain('debugdead_queue_depth{cluster="staging"} 0');
    expect(body).not.toMatch(/debugdead_queue_depth \d/);
    expect(body).not.toMatch(/debugdead_jobs\{state="waiting"\} 99/);
  });

  it('a gateway whose counts cannot be read (Redis away) keeps the last values instead of failing the scrape', async () => {
    let fail = false;
    const metrics = createMetrics({
      build,
      clusterJobCounts: async () => {
        if (fail) throw new Error('Connection is closed.');
        return { 'prod-eu': { waiting: 5 } };
      },
    });
    await metrics.render();
    fail = true;
    expect((await metrics.render()).body).toContain('debugdead_queue_depth{cluster="prod-eu"} 5');
  });
});
