import { describe, expect, it } from 'vitest';
import { type JobProgressState, renderApprovalRequest, renderJobProgress } from '../../src/render/index.js';
import { buttonsOf, expectSlackAccepts, visibleText } from './slack-assertions.js';

const base: JobProgressState = {
  kind: 'clone',
  target: 'demo/web-1',
  container: 'app',
  requestedBy: 'U0ALICE',
  step: 'requested',
  requestId: 'req-42',
};

const ready: JobProgressState = {
  ...base,
  step: 'ready',
  approvedBy: 'U0BOB',
  podName: 'web-1-debug-x7k2p',
  namespace: 'demo',
  originalCommand: 'node server.js --port 8080',
  expiresAt: '2026-11-23T10:30:00Z',
  notes: ['PVC data swapped for emptyDir', 'probes removed'],
};

describe('renderJobProgress', () => {
  it.each<[string, JobProgressState, string[]]>([
    [
      'requested',
      base,
      [
        ':white_check_mark: Requested by <@U0ALICE>',
        ':white_large_square: Approval',
        ':white_large_square: Create pod',
      ],
    ],
    ['awaiting approval', { ...base, step: 'awaiting-approval' }, [':hourglass_flowing_sand: Waiting for an approver']],
    [
      'approved',
      { ...base, step: 'approved', approvedBy: 'U0BOB' },
      [':white_check_mark: Approved by <@U0BOB>', ':white_large_square: Create pod'],
    ],
    [
      'creating',
      { ...base, step: 'creating', approvedBy: 'U0BOB', podName: 'web-1-debug-x7k2p', namespace: 'demo' },
      [':hourglass_flowing_sand: Creating pod demo/web-1-debug-x7k2p', ':white_large_square: Running'],
    ],
    ['ready', ready, [':white_check_mark: Created pod demo/web-1-debug-x7k2p', ':white_check_mark: Running']],
    [
      'failed',
      {
        ...base,
        step: 'failed',
        approvedBy: 'U0BOB',
        podName: 'p',
        error: 'PodSecurity "restricted" forbids privileged containers in debugdead-system',
      },
      [':x: Failed: PodSecurity "restricted" forbids privileged'],
    ],
    ['deleted', { ...ready, step: 'deleted' }, [':wastebasket: Deleted']],
  ])('at step %s the checklist shows where it stands', (_step, state, expected) => {
    const msg = renderJobProgress(state);
    const text = visibleText(msg);
    expect(text).toContain('*Debug clone of demo/web-1* (container app)');
    for (const e of expected) expect(text).toContain(e);
    expectSlackAccepts(msg);
  });

  it('a request that failed before approval does not claim it was approved', () => {
    const text = visibleText(renderJobProgress({ ...base, step: 'failed', error: 'the request expired' }));
    expect(text).not.toContain('Approved');
    expect(text).toContain(':x: Failed: the request expired');
  });

  it('when ready, gives the exact kubectl exec line, the original command and the deletion time', () => {
    const text = visibleText(renderJobProgress(ready));
    // Without the job's own line, the clone's: the injected busybox's shell, which every clone has (distroless too).
    expect(text).toContain(
      `*Open a shell:*\n\`\`\`\nkubectl exec -it -n demo web-1-debug-x7k2p -c app -- /.debugdead/busybox sh -c 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'\n\`\`\``,
    );
    expect(text).toContain('```\nnode server.js --port 8080\n```');
    expect(text).toContain(
      `:alarm_clock: Deleted automatically at 2026-11-23 10:30 UTC (<!date^${Date.parse('2026-11-23T10:30:00Z') / 1000}^{time}|2026-11-23 10:30 UTC>)`,
    );
    expect(text).toContain('• PVC data swapped for emptyDir');
  });

  it('uses the exec command it is given, verbatim', () => {
    const text = visibleText(
      renderJobProgress({ ...ready, execCommand: 'kubectl exec -it -n demo p -c debugdead-busybox -- /debugdead/sh' }),
    );
    expect(text).toContain('kubectl exec -it -n demo p -c debugdead-busybox -- /debugdead/sh');
  });

  it('a node shell enters the host namespaces', () => {
    const text = visibleText(
      renderJobProgress({
        ...ready,
        kind: 'node-shell',
        target: 'node-1',
        container: undefined,
        namespace: 'debugdead-system',
        podName: 'node-shell-node-1-ab12',
      }),
    );
    expect(text).toContain('*Node shell on node-1*');
    expect(text).toContain(
      'kubectl exec -it -n debugdead-system node-shell-node-1-ab12 -- nsenter --target 1 --mount --uts --ipc --net --pid -- sh -l',
    );
  });

  it('offers Extend and a confirmed, dangerous Delete now while the pod runs', () => {
    const buttons = buttonsOf(renderJobProgress(ready));
    expect(buttons.map((b) => [b.text.text, b.action_id, b.value, b.style])).toEqual([
      ['Extend', 'debugdead.extend', 'req-42', undefined],
      ['Delete now', 'debugdead.delete', 'req-42', 'danger'],
    ]);
    expect(buttons[1]?.confirm?.text.text).toBe('Deletes pod web-1-debug-x7k2p now; any shell session in it ends.');
  });

  it('drops Extend at the maximum TTL and says so', () => {
    const msg = renderJobProgress({ ...ready, canExtend: false });
    expect(buttonsOf(msg).map((b) => b.action_id)).toEqual(['debugdead.delete']);
    expect(visibleText(msg)).toContain('(the maximum)');
  });

  it('offers no buttons before a pod exists or after it is deleted', () => {
    expect(buttonsOf(renderJobProgress(base))).toEqual([]);
    expect(buttonsOf(renderJobProgress({ ...ready, step: 'deleted' }))).toEqual([]);
  });

  it('never turns a requester name into a mention when it is not a user id', () => {
    expect(visibleText(renderJobProgress({ ...base, requestedBy: '<!channel>' }))).toContain(
      'Requested by &lt;!channel&gt;',
    );
  });
});

describe('renderApprovalRequest', () => {
  it('mentions every approver and offers Approve / Deny carrying the request id', () => {
    const msg = renderApprovalRequest({
      requestId: 'req-42',
      kind: 'node-shell',
      target: 'node-1',
      requestedBy: 'U0ALICE',
      approvers: { users: ['U1', 'U2'], groups: ['S1'] },
      required: 2,
    });
    const text = visibleText(msg);
    // The approvers are mentions in the rule line too (escaped, they would show as raw `<!subteam^S1>`).
    expect(text).toContain('Needs two different people from <@U1>, <@U2>, <!subteam^S1>.');
    expect(text).toContain('<@U0ALICE> asks for a node shell on *node-1*.');
    expect(text).toContain('<@U1> <@U2> <!subteam^S1>: approve or deny?');
    expect(text).toContain('Needs two different people from');
    expect(buttonsOf(msg).map((b) => [b.text.text, b.action_id, b.value, b.style])).toEqual([
      ['Approve', 'debugdead.approve', 'req-42', 'primary'],
      ['Deny', 'debugdead.deny', 'req-42', 'danger'],
    ]);
    expectSlackAccepts(msg);
  });

  it('a privileged clone says so, and why', () => {
    const msg = renderApprovalRequest({
      requestId: 'req-43',
      kind: 'clone',
      target: 'kube-proxy/kp-1',
      requestedBy: 'U0A',
      approvers: { users: ['U1'], groups: [] },
      privilegeReasons: ['hostNetwork', 'privileged container proxy'],
    });
    const text = visibleText(msg);
    expect(text).toContain('asks for a privileged debug clone of');
    expect(text).toContain('hostNetwork; privileged container proxy');
    expectSlackAccepts(msg);
  });

  it('with no configured approvers, asks anyone allowed', () => {
    const msg = renderApprovalRequest({
      requestId: 'r',
      kind: 'clone',
      target: 'demo/web-1',
      requestedBy: 'U0A',
      approvers: { users: [], groups: [] },
    });
    expect(visibleText(msg)).toContain('anyone allowed to approve: approve or deny?');
  });
});
