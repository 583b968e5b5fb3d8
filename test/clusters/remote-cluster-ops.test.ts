import { describe, expect, it } from 'vitest';
import { AgentGone, type TaskKind } from '../../src/clusters/index.js';
import { remoteClusterOps } from '../../src/gateway/remote-cluster-ops.js';
import { isKubeError } from '../../src/kube/index.js';

const GONE = ':electric_plug: The agent for @prod-us was last seen 4 min ago: nothing was sent to that cluster.';
const web = { kind: 'Deployment' as const, name: 'web' };
const standing = (name: string) => ({ name, health: 'failing', state: 'CrashLoopBackOff', restarts: 3 });

/** The gateway's end, with the agent's answer given: what a working, broken or compromised agent could say. */
function opsAnswering(answer: unknown | (() => never)) {
  const asked: { kind: TaskKind; body: unknown }[] = [];
  const failed: { kind: TaskKind; target: unknown; message: string }[] = [];
  const ops = remoteClusterOps(
    'prod-us',
    async (kind, body) => {
      asked.push({ kind, body });
      if (typeof answer === 'function') return (answer as () => never)();
      return answer;
    },
    (kind, target, err) => failed.push({ kind, target, message: err.message }),
  );
  return { ops, asked, failed };
}

describe("the gateway reads an agent's answers as that agent's word only", () => {
  it.each([
    ['a worst pod that is not among the standings', { ok: true, pod: 'other', standings: [standing('web-1')] }],
    ['standings of the wrong shape', { ok: true, pod: 'web-1', standings: [{ name: 'web-1', health: 'great' }] }],
    ['no standings', { ok: true, pod: 'web-1', standings: [] }],
    ['an error of a kind Kubernetes has not', { ok: false, reason: 'kube', error: { kind: 'Pwned', message: 'x' } }],
    ['a reason we do not know', { ok: false, reason: 'because' }],
    ['nothing', null],
  ])('a workload answer with %s is "the agent gave an unreadable answer"', async (_what, answer) => {
    const found = await opsAnswering(answer).ops.findWorstPod('demo', web);
    expect(found).toMatchObject({ ok: false, reason: 'kube', error: { kind: 'Unavailable' } });
    if (!found.ok && found.reason === 'kube') expect(found.error.message).toMatch(/@prod-us gave an unreadable answer/);
  });

  it("a workload with no pods is said in the gateway's words, not the agent's", async () => {
    const found = await opsAnswering({
      ok: false,
      reason: 'no-pods',
      message: '<!channel> click here',
    }).ops.findWorstPod('demo', web);
    expect(found).toEqual({
      ok: false,
      reason: 'no-pods',
      message: ':mag: Deployment `demo/web` has no pods right now.',
    });
  });

  it('a workload answer is read back to what the pipeline returns: the worst pod, and a KubeError for a failure', async () => {
    const standings = [standing('web-1'), { ...standing('web-2'), health: 'ready', state: 'Ready' }];
    expect(await opsAnswering({ ok: true, pod: 'web-1', standings }).ops.findWorstPod('demo', web)).toEqual({
      ok: true,
      pod: 'web-1',
      standings,
    });
    const missing = await opsAnswering({
      ok: false,
      reason: 'kube',
      error: { kind: 'NotFound', message: 'deployments "web" not found', status: 404 },
    }).ops.findWorstPod('demo', web);
    expect(missing.ok).toBe(false);
    if (!missing.ok && missing.reason === 'kube') {
      expect(isKubeError(missing.error)).toBe(true);
      expect(missing.error).toMatchObject({ kind: 'NotFound', status: 404 });
    }
  });

  it('a gone agent: the workload read is Unavailable with when it was last seen, and audited as a failed task', async () => {
    const { ops, failed } = opsAnswering(() => {
      throw new AgentGone(GONE);
    });
    const found = await ops.findWorstPod('demo', web);
    expect(found).toMatchObject({ ok: false, reason: 'kube', error: { kind: 'Unavailable', message: GONE } });
    expect(failed).toEqual([{ kind: 'workload', target: { namespace: 'demo', pod: 'deployment/web' }, message: GONE }]);
    await expect(ops.workloadOf('demo', 'web-1')).rejects.toBeInstanceOf(AgentGone);
    await expect(
      ops.diagnoseWith(
        { namespace: 'demo', pod: 'web-1', container: 'app' },
        { tailLines: 1, limitBytes: 1, callTimeoutMs: 1 },
      ),
    ).rejects.toThrow(/last seen 4 min ago/);
    expect(failed.map((f) => f.kind)).toEqual(['workload', 'workload-of', 'more-logs']);
  });

  it('an agent that does not answer in time is an Unavailable naming the cluster', async () => {
    const { ops } = opsAnswering(() => {
      throw new Error('Job wait more-logs timed out before finishing, no finish notification arrived after 30000ms');
    });
    const err = await ops.workloadOf('demo', 'web-1').catch((e) => e);
    expect(err).toMatchObject({ name: 'KubeError', kind: 'Unavailable' });
    expect(err.message).toMatch(/^the agent for @prod-us did not answer: /);
  });

  it('workload-of: the answer must be a workload; a failure comes back as its KubeError', async () => {
    const ok = { ok: true, workload: { namespace: 'demo', kind: 'Deployment', name: 'web' } };
    expect(await opsAnswering(ok).ops.workloadOf('demo', 'web-1')).toEqual(ok.workload);
    await expect(
      opsAnswering({ ok: true, workload: { kind: 'Deployment' } }).ops.workloadOf('demo', 'web-1'),
    ).rejects.toThrow(/unreadable answer to a workload-of task/);
    const gone = await opsAnswering({ ok: false, error: { kind: 'NotFound', message: 'pods "web-1" not found' } })
      .ops.workloadOf('demo', 'web-1')
      .catch((e) => e);
    expect(gone).toMatchObject({ name: 'KubeError', kind: 'NotFound' });
  });

  it('more-logs sends the log bounds but never its deadline, and refuses an answer without a diagnosis', async () => {
    const { ops, asked } = opsAnswering({ ok: true, diagnosis: { logs: [], containers: [] }, redactions: 0 });
    await ops.diagnoseWith(
      { namespace: 'demo', pod: 'web-1', container: 'app' },
      { tailLines: 700, limitBytes: 1024, callTimeoutMs: 5000 },
    );
    expect(asked).toEqual([
      {
        kind: 'more-logs',
        body: { namespace: 'demo', pod: 'web-1', container: 'app', opts: { tailLines: 700, limitBytes: 1024 } },
      },
    ]);
    await expect(
      opsAnswering({ ok: true, diagnosis: 'all good' }).ops.diagnoseWith(
        { namespace: 'demo', pod: 'web-1', container: 'app' },
        { tailLines: 1, limitBytes: 1, callTimeoutMs: 1 },
      ),
    ).rejects.toThrow(/unreadable answer to a more-logs task/);
  });
});
