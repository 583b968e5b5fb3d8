import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { diagnose, INCIDENT, latest } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { addNotReadyWorkload } from '../support/not-ready-workload.js';

const debugContainersOf = (h: Harness, pod: string) =>
  h.kube.store.get('pods', 'demo', pod)?.spec.ephemeralContainers ?? [];
const statusOf = (h: Harness, pod: string, name: string) =>
  (h.kube.store.get('pods', 'demo', pod)?.status.ephemeralContainerStatuses ?? []).find((s: any) => s.name === name);

/** The default scenario's pods are named after their app (test/sim/kube/scenarios/default-scenario.ts). */
const podNamed = (h: Harness, app: string) => {
  const pod = h.kube.store.get('pods', 'demo', app);
  if (!pod) throw new Error(`no pod ${app} in demo`);
  return pod.metadata.name as string;
};

/** Waits for the parent message to say `pattern`. */
const waitForText = (h: Harness, summary: SimMessage, pattern: RegExp, what: string, ms = 20_000) =>
  h.slack.waitFor(
    () => (pattern.test(visibleText(latest(h, summary.ts))) ? latest(h, summary.ts) : undefined),
    ms,
    what,
  );

describe('attach debug container, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.debugContainer.ttlSeconds = 6;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a Running pod failing readiness: click, approval, the container runs beside its target, then its TTL ends it', async () => {
    addNotReadyWorkload(h.kube, 'quotes');
    const pod = podNamed(h, 'quotes');
    await h.slack.waitFor(
      () => (h.kube.store.get('pods', 'demo', pod)?.status.containerStatuses?.[0]?.state?.running ? true : undefined),
      10_000,
      'the pod running',
    );
    const summary = await diagnose(h, 'U0ALICE01', pod);
    expect(visibleText(summary)).toMatch(/Attach debug container/);
    await h.slack.user('U0ALICE01').click(summary, 'Attach debug container', { confirm: true });

    const ready = await waitForText(h, summary, /:white_check_mark: Running/, 'the running debug container');
    const text = visibleText(ready);
    const [added] = debugContainersOf(h, pod);
    expect(added).toMatchObject({
      image: 'busybox:1.37-musl',
      command: ['sleep', '6'],
      targetContainerName: 'app',
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
    });
    expect(added.name).toMatch(/^debugger-[a-z0-9]{5}$/);
    expect(text).toContain(`kubectl exec -it -n demo ${pod} -c ${added.name} -- sh`);
    expect(text).toContain('ls /proc/1/root/');
    expect(text).toMatch(/cannot be removed/);
    // No Extend or Delete now: an ephemeral container can be neither.
    expect(text).not.toMatch(/Delete now|Extend/);
    expect(statusOf(h, pod, added.name).state.running).toBeDefined();
    // The pod was not restarted or copied: the same pod, its app container untouched.
    expect(h.kube.store.get('pods', 'demo', pod)?.status.containerStatuses[0].restartCount).toBe(0);

    await h.slack.waitFor(
      () => (statusOf(h, pod, added.name)?.state?.terminated ? true : undefined),
      15_000,
      'the sleep ended at its TTL',
    );
    expect(statusOf(h, pod, added.name).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    await waitForText(h, summary, /Ended at its TTL/, 'the end on the message', 20_000);
    const ended = new RegExp(`${added.name}\` in \`demo/${pod}\` ended at its TTL \\(exit 0 \\(Completed\\)\\)`);
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .find((m) => ended.test(visibleText(m))),
      10_000,
      'the end told in the thread',
    );
    const actions = h.auditEntries().filter((e) => /\.e\d+$/.test(e.requestId ?? ''));
    expect(actions.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'button.clicked',
        'approval.granted',
        'job.queued',
        'container.attached',
        'pod.ready',
        'container.ended',
      ]),
    );
    // A later diagnosis lists it among the pod's containers, with its state.
    await h.slack.user('U0BOB0002').runCommand('/debugdead', `${pod} demo`, { channel: INCIDENT });
    const again = await h.slack.waitFor(
      () =>
        h.slack
          .channel(INCIDENT)
          .messages()
          .filter((m) => m.text.startsWith(`demo/${pod} `))[1],
      15_000,
      'the second diagnosis',
    );
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, again.ts)
          .replies()
          .map(visibleText)
          .find((t) => t.includes(added.name) && /ephemeral debug container/.test(t) && /terminated/.test(t)),
      10_000,
      'the debug container in the new diagnosis',
    );
  });

  it('a crash-looping pod with a live sidecar: the debug container targets the running sidecar', async () => {
    const pod = podNamed(h, 'multi');
    const summary = await diagnose(h, 'U0CAROL03', pod);
    expect(visibleText(summary)).toMatch(/Attach debug container: web/);
    await h.slack.user('U0CAROL03').click(summary, 'Attach debug container: web', { confirm: true });
    await waitForText(h, summary, /:white_check_mark: Running/, 'the running debug container');
    const [added] = debugContainersOf(h, pod);
    expect(added.targetContainerName).toBe('web');
    expect(statusOf(h, pod, added.name).state.running).toBeDefined();
  });

  it('kubectl debug --target adds one by hand, and /debugdead then lists it among the containers, with its state', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
    const kubeconfig = join(home, 'kubeconfig');
    await h.cluster.writeKubeconfig(kubeconfig, { namespace: 'demo' });
    const env = { PATH: process.env.PATH, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: join(home, 'cache') };
    const args = ['debug', 'healthy', '-it', '--attach=false', '--image=busybox', '--target=app', '-c', 'by-hand'];
    const code = await new Promise<number>((resolve) =>
      execFile('kubectl', args, { env, timeout: 30_000 }, (err) => resolve(err ? 1 : 0)),
    );
    expect(code).toBe(0);
    await h.slack.waitFor(() => statusOf(h, 'healthy', 'by-hand')?.state?.running, 10_000, 'the container running');
    const summary = await diagnose(h, 'U0CAROL03', 'healthy');
    const describe = await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .map(visibleText)
          .find((t) => /\*by-hand\* \(ephemeral debug container\)/.test(t)),
      10_000,
      'the describe reply',
    );
    expect(describe).toMatch(/\*by-hand\* \(ephemeral debug container\) · image `busybox`\n• State: running/);
  });

  /** A fresh diagnosis of `pod`, a click on its debug-container button, and the thread line that answers it. */
  async function attachAndWaitFor(pod: string, button: string, answer: RegExp): Promise<string> {
    const before = h.slack
      .channel(INCIDENT)
      .messages()
      .filter((m) => m.text.startsWith(`demo/${pod} `)).length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${pod} demo`, { channel: INCIDENT });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(INCIDENT)
          .messages()
          .filter((m) => m.text.startsWith(`demo/${pod} `))[before],
      15_000,
      `a new diagnosis of ${pod}`,
    );
    await h.slack.user('U0ALICE01').click(summary, button, { confirm: true });
    return h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .map(visibleText)
          .find((t) => answer.test(t)),
      15_000,
      `the answer ${answer}`,
    );
  }

  it('RBAC without patch on pods/ephemeralcontainers: refused by the worker with the reason, nothing added', async () => {
    const undo = h.kube.rbac.deny({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers' });
    try {
      const before = debugContainersOf(h, 'multi').length;
      const said = await attachAndWaitFor('multi', 'Attach debug container: web', /refused by the worker/);
      expect(said).toMatch(/may not patch pods\/ephemeralcontainers in demo \(RBAC\).*debugdead-debug-containers/);
      expect(debugContainersOf(h, 'multi')).toHaveLength(before);
      await h.slack.waitFor(
        () => h.auditEntries().find((e) => e.action === 'job.rejected' && /ephemeralcontainers/.test(e.detail)),
        5000,
        'the refusal in the audit',
      );
    } finally {
      undo();
    }
  });

  it('a cluster that does not serve the subresource: the failure says so', async () => {
    const undo = h.kube.faults.error({ status: 404, verb: 'patch', subresource: 'ephemeralcontainers' });
    try {
      const said = await attachAndWaitFor('multi', 'Attach debug container: web', /^:x: Debug container .* failed/);
      expect(said).toMatch(/may not serve pods\/ephemeralcontainers/);
    } finally {
      undo();
    }
  });

  it('a pod with no running container gets no button, and the reason', async () => {
    const pod = podNamed(h, 'crash-exit1');
    const summary = await diagnose(h, 'U0ALICE01', pod);
    const text = visibleText(summary);
    expect(text).not.toMatch(/Attach debug container/);
    expect(text).toMatch(/No debug container: no container of the pod is running \(app: CrashLoopBackOff\)/);
    expect(text).toMatch(/a debug clone/);
  });

  it('a namespace whose Pod Security level forbids the profile: no button, and the levels it admits', async () => {
    const ns = h.kube.store.get('namespaces', undefined, 'demo')!;
    const labels = { ...ns.metadata.labels };
    h.kube.store.update('namespaces', {
      ...ns,
      metadata: { ...ns.metadata, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'baseline' } },
    });
    try {
      await h.slack.user('U0ALICE01').runCommand('/debugdead', 'healthy demo', { channel: INCIDENT });
      const summary = await h.slack.waitFor(
        () =>
          h.slack
            .channel(INCIDENT)
            .messages()
            .filter((m) => m.text.startsWith('demo/healthy '))
            .find((m) => /Pod Security/.test(visibleText(m))),
        15_000,
        'the diagnosis under baseline',
      );
      const text = visibleText(summary);
      expect(text).not.toMatch(/Attach debug container/);
      expect(text).toMatch(
        /No debug container: namespace demo enforces Pod Security "baseline", which forbids the general profile\. To fix: set debugContainer.profile to baseline or restricted/,
      );
    } finally {
      const now = h.kube.store.get('namespaces', undefined, 'demo')!;
      h.kube.store.update('namespaces', { ...now, metadata: { ...now.metadata, labels } });
    }
  });
});

describe('a sysadmin debug container', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.debugContainer.profile = 'sysadmin';
        c.nodeShell.approvers = { users: ['U0ALICE01', 'U0BOB0002'], groups: [] };
        c.nodeShell.twoPersonRule = true;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('needs two node-shell approvers, then runs privileged', async () => {
    const pod = podNamed(h, 'healthy');
    const summary = await diagnose(h, 'U0ALICE01', pod);
    expect(visibleText(summary)).toMatch(/Attach debug container \(privileged\)/);
    await h.slack.user('U0ALICE01').click(summary, 'Attach debug container (privileged)', { confirm: true });
    const ask = await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .find((m) => /privileged debug container/.test(visibleText(m)) && /Approve/.test(visibleText(m))),
      10_000,
      'the approval request',
    );
    expect(visibleText(ask)).toMatch(/profile sysadmin/);
    // A clone approver who is no node-shell approver does not count; nor does the requester twice.
    await h.slack.user('U0CAROL03').click(ask, 'debugdead.approve', { confirm: true });
    await h.slack.user('U0ALICE01').click(ask, 'debugdead.approve', { confirm: true });
    await new Promise((r) => setTimeout(r, 1000));
    expect(debugContainersOf(h, pod)).toEqual([]);

    await h.slack.user('U0BOB0002').click(ask, 'debugdead.approve', { confirm: true });
    await waitForText(h, summary, /:white_check_mark: Running/, 'the running debug container');
    const [added] = debugContainersOf(h, pod);
    expect(added.securityContext).toEqual({ privileged: true });
    expect(visibleText(latest(h, summary.ts))).toMatch(/Approved by .*U0ALICE01.* and .*U0BOB0002/);
  });
});
