import { describe, expect, it } from 'vitest';
import type { EphemeralOffer } from '../../src/actions/index.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { Pod } from '../../src/kube/types.js';
import {
  type JobProgressState,
  renderApprovalRequest,
  renderDiagnosisMessage,
  renderJobProgress,
} from '../../src/render/index.js';
import { buttonsOf, expectSlackAccepts, visibleText } from './slack-assertions.js';

const attached: JobProgressState = {
  kind: 'ephemeral',
  target: 'shop/web-1',
  container: 'app',
  requestedBy: 'U0ALICE',
  approvedBy: 'U0BOB',
  step: 'ready',
  podName: 'web-1',
  namespace: 'shop',
  debugContainer: 'debugger-abcde',
  execCommand: 'kubectl exec -it -n shop web-1 -c debugger-abcde -- sh',
  lookCommands: ['ls /proc/1/root/'],
  notes: ['profile general: SYS_PTRACE added'],
  expiresAt: '2026-12-01T11:00:00Z',
  canExtend: false,
  requestId: 'AbCdEfGh12.e0',
};

describe('the panel of a debug container', () => {
  it('shows the exec line and how to reach the target’s files, says it cannot be removed, and offers no Extend or Delete', () => {
    const message = renderJobProgress(attached);
    expectSlackAccepts(message);
    const text = visibleText(message);
    expect(text).toContain('*Debug container in shop/web-1* (container app)');
    expect(text).toContain(':white_check_mark: Attached container debugger-abcde');
    expect(text).toContain('kubectl exec -it -n shop web-1 -c debugger-abcde -- sh');
    expect(text).toContain('ls /proc/1/root/');
    expect(text).toMatch(/Its sleep ends at .* It cannot be removed from the pod/);
    expect(buttonsOf(message)).toEqual([]);
  });

  it.each<[JobProgressState['step'], string]>([
    ['creating', ':hourglass_flowing_sand: Attaching container debugger-abcde'],
    ['deleted', ':checkered_flag: Ended at its TTL'],
    ['failed', ':x: Failed'],
  ])('%s: %s', (step, line) => {
    const message = renderJobProgress({ ...attached, step, ...(step === 'failed' ? { error: 'ErrImagePull' } : {}) });
    expectSlackAccepts(message);
    expect(visibleText(message)).toContain(line);
    expect(buttonsOf(message)).toEqual([]);
  });

  it('the approval request names the target, profile and image, and says why it is privileged', () => {
    const message = renderApprovalRequest({
      requestId: 'AbCdEfGh12.e0',
      kind: 'ephemeral',
      target: 'shop/web-1',
      detail: 'It targets app, with profile sysadmin and image busybox:1.37-musl',
      privilegeReasons: ['profile sysadmin (a privileged container)'],
      requestedBy: 'U0ALICE',
      approvers: { users: ['U0BOB'], groups: [] },
      required: 2,
    });
    expectSlackAccepts(message);
    const text = visibleText(message);
    expect(text).toContain('asks for a privileged debug container in *shop/web-1*');
    expect(text).toMatch(
      /profile sysadmin and image busybox.*It is privileged: profile sysadmin \(a privileged container\)/,
    );
    expect(text).toContain('Needs two different people from <@U0BOB>');
  });
});

describe('the diagnosis message and "Attach debug container"', () => {
  const pod: Pod = {
    metadata: { name: 'web-1', namespace: 'shop', uid: 'u1', creationTimestamp: new Date('2026-12-01T09:00:00Z') },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'app', image: 'web:1' },
        { name: 'proxy', image: 'envoy:1' },
      ],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', image: 'web:1', imageID: '', ready: false, restartCount: 0, state: { running: {} } },
        { name: 'proxy', image: 'envoy:1', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  };
  const d = diagnose({
    pod,
    events: { ok: true, value: [] },
    logs: [],
    owners: { ok: true, value: [] },
    now: new Date('2026-12-01T10:00:00Z'),
  });
  const render = (offer: EphemeralOffer, privilege: string[] = []) =>
    renderDiagnosisMessage(d, {
      requestId: 'AbCdEfGh12',
      redactions: 0,
      debugContainer: { index: 0, offer, profile: 'general', privilege },
    });

  it('an offer is a button whose value is the e-slot action id, with a confirm that says it cannot be removed', () => {
    const message = render({ kind: 'attach', target: 'app' });
    expectSlackAccepts(message);
    const button = buttonsOf(message).find((b) => b.action_id === 'debugdead.debug_container.0')!;
    expect(button.text.text).toBe('Attach debug container: app');
    expect(button.value).toBe('AbCdEfGh12.e0');
    expect(button.confirm?.text.text).toMatch(/can never be removed/);
  });

  it('a privileged offer says so on the button and in red', () => {
    const message = render({ kind: 'attach', target: 'app' }, ['profile sysadmin (a privileged container)']);
    const button = buttonsOf(message).find((b) => b.action_id === 'debugdead.debug_container.0')!;
    expect(button.text.text).toBe('Attach debug container (privileged): app');
    expect(button.confirm?.style).toBe('danger');
  });

  it('no offer: no button, and the reason with what to do instead', () => {
    const message = render({ kind: 'none', reason: 'no container of the pod is running', fix: 'a debug clone' });
    expectSlackAccepts(message);
    expect(buttonsOf(message).some((b) => b.action_id.startsWith('debugdead.debug_container'))).toBe(false);
    expect(visibleText(message)).toContain(
      ':no_entry_sign: No debug container: no container of the pod is running. To fix: a debug clone',
    );
  });
});
