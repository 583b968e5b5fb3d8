import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { describeOnSimulator } from '../support/by-backend.js';
import { type ClusterHarness, startClusterHarness } from '../support/cluster-harness.js';
import { diagnose, eventually, latest, listManagedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { addNotReadyWorkload } from '../support/not-ready-workload.js';

// The promise of a debug clone and a node shell is "the exact line to paste". Here the line is taken from the
// message the bot posts and pasted into a shell, as a person would: the real kubectl 1.32 runs it against the
// simulator (pods/exec over WebSocket), with what the person types fed on stdin. The virtual kubelet of the real
// control plane serves no exec (kube-apiserver would speak SPDY to it), so this file is simulator-only.

let h: Harness;
let kubeconfig: string;

/** The `kubectl … exec …` line of a message, as Slack shows it (one line of a code block). */
function execLineOf(text: string): string {
  const line = /kubectl [^\n`]*exec -it [^\n`]+/.exec(text)?.[0];
  if (!line) throw new Error(`no exec line in:\n${text}`);
  return line;
}

/** Pastes `line` into a POSIX shell (quoting as a person's shell reads it) and types `input`, then ends the input. */
function paste(
  line: string,
  input: string,
  config = kubeconfig,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  const env = { PATH: process.env.PATH, KUBECONFIG: config, HOME: home, KUBECACHEDIR: join(home, 'cache') };
  return new Promise((resolve) => {
    const child = execFile('sh', ['-c', line], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** Waits for the parent message to show the running pod and its exec line. */
async function readyLine(ts: string, pattern: RegExp): Promise<string> {
  const text = await h.slack.waitFor(
    () => {
      const t = visibleText(latest(h, ts));
      return pattern.test(t) && /:white_check_mark: Running/.test(t) ? t : undefined;
    },
    20_000,
    'the running pod and its exec line',
  );
  return execLineOf(text);
}

const NO_TTY = 'Unable to use a TTY - input is not a terminal or the right kind of file\n';

describeOnSimulator('the exec line people paste', () => {
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.debugClone.defaultTtlSeconds = 120;
        c.nodeShell.approvers = { users: ['U0ALICE01'], groups: [] };
        c.nodeShell.twoPersonRule = false;
      },
    });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'person-')), 'kubeconfig');
    await h.cluster.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('reaches the debug shell of a clone of a distroless pod; the same line at the original pod fails as on a real cluster', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'scratch-crash');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const line = await readyLine(summary.ts, /kubectl exec -it -n demo scratch-crash-debug-/);
    const [clone] = (await listManagedPods(h, 'demo')).filter(
      (p) => p.metadata.annotations?.['debugdead.io/source-pod'] === 'demo/scratch-crash',
    );
    const name = clone!.metadata.name as string;
    expect(line).toBe(
      `kubectl exec -it -n demo ${name} -c app -- /.debugdead/busybox sh -c 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'`,
    );

    const t0 = Date.now();
    const r = await paste(line, 'id; hostname\nls /\nps\nexit\n');
    const elapsed = Date.now() - t0;
    expect(r.stderr).toBe(NO_TTY);
    expect(r.code).toBe(0);
    // The clone keeps the target's user (runAsUser 65532, distroless's nonroot) and runs busybox's sleep as PID 1.
    expect(r.stdout).toBe(
      [
        'uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)',
        name,
        ...['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var'],
        'PID   USER     TIME  COMMAND',
        `    1 nonroot  0:00 /.debugdead/busybox sleep ${h.config.debugClone.maxTtlSeconds}`,
        '    7 nonroot  0:00 sh',
        '   13 nonroot  0:00 ps',
        '',
      ].join('\n'),
    );
    expect(elapsed).toBeLessThan(10_000);

    // The original crash-loops: nothing runs there to exec into (and its image has no busybox anyway).
    await eventually(
      async () =>
        (await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === 'scratch-crash')?.status
          ?.containerStatuses?.[0]?.state?.waiting,
      15_000,
      'the original waiting in its back-off',
    );
    const pasted = await paste(line.replace(name, 'scratch-crash'), 'id\n');
    // kubectl itself may log that its stdin copier wrote after the server's close (gorilla's ErrCloseSent): a race in
    // the client, on a real cluster too, so that one log line is not the server's answer.
    const original = { ...pasted, stderr: pasted.stderr.replace(/^E\d{4} .*"websocket: close sent"\n/m, '') };
    expect(original).toEqual({
      code: 1,
      stdout: '',
      stderr: `${NO_TTY}error: Internal error occurred: unable to upgrade connection: container not found ("app")\n`,
    });
  });

  it('the same line without the injected busybox: a running distroless container has no shell to give', async () => {
    await h.cluster.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ledger-live', namespace: 'demo' },
      spec: { containers: [{ name: 'app', image: 'gcr.io/distroless/static-debian12', command: ['/app'] }] },
    });
    await eventually(
      async () =>
        (await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === 'ledger-live')?.status
          ?.containerStatuses?.[0]?.state?.running,
      15_000,
      'a running distroless pod',
    );
    const r = await paste(
      `kubectl exec -it -n demo ledger-live -c app -- /.debugdead/busybox sh -c 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'`,
      'id\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "\/\.debugdead\/busybox": stat \/\.debugdead\/busybox: no such file or directory: unknown\n$/,
    );
  });

  it('reaches a debug container beside a running target, where the look command it gives shows the target’s files', async () => {
    // A Deployment's pod that runs but never passes its readiness probe: the bot offers a debug container.
    const pod = addNotReadyWorkload(h.kube, 'quotes', ['listening']);
    await eventually(
      async () => h.kube.store.get('pods', 'demo', pod)?.status?.containerStatuses?.[0]?.state?.running,
      10_000,
      'the pod running',
    );
    const summary = await diagnose(h, 'U0ALICE01', pod);
    await h.slack.user('U0ALICE01').click(summary, 'Attach debug container', { confirm: true });
    const line = await readyLine(summary.ts, new RegExp(`kubectl exec -it -n demo ${pod} -c debugger-`));
    expect(line).toMatch(new RegExp(`^kubectl exec -it -n demo ${pod} -c debugger-[a-z0-9]{5} -- sh$`));
    expect(visibleText(latest(h, summary.ts))).toContain('ls /proc/1/root/');
    const r = await paste(line, 'ls /proc/1/root/\nps\n');
    expect(r.stderr).toBe(NO_TTY);
    expect(r.stdout).toBe(
      [
        ...['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run'],
        ...['sbin', 'srv', 'sys', 'tmp', 'usr', 'var'],
        'PID   USER     TIME  COMMAND',
        '    1 root     0:00 /quotes --listen=:8080',
        '    7 root     0:00 sh',
        '   13 root     0:00 ps',
        '',
      ].join('\n'),
    );
  });

  it('reaches the node from a node shell: nsenter into PID 1 gives a root shell with the node’s hostname and root', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'liveness');
    await h.slack.user('U0ALICE01').click(summary, 'Open node shell', { confirm: true });
    const line = await readyLine(summary.ts, /nsenter --target 1/);
    const [shell] = await listManagedPods(h, 'debugdead-nodeshell');
    expect(line).toBe(
      `kubectl exec -it -n debugdead-nodeshell ${shell!.metadata.name} -- nsenter --target 1 --mount --uts --ipc --net --pid -- sh -l`,
    );
    const r = await paste(line, 'id -u; hostname\nls /\n');
    expect(r).toEqual({
      code: 0,
      stdout: [
        '0',
        shell!.spec.nodeName,
        ...['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run'],
        ...['sbin', 'srv', 'sys', 'tmp', 'usr', 'var', ''],
      ].join('\n'),
      stderr: NO_TTY,
    });
  });
});

describeOnSimulator('the exec line in many-cluster mode', () => {
  let c: ClusterHarness;
  beforeAll(async () => {
    c = await startClusterHarness({
      clusters: ['prod-eu', 'prod-us'],
      configure: (doc) => {
        doc.bindings = [{ channels: ['C0INCIDENT'], namespaces: ['*'], cluster: 'prod-eu' }];
      },
    });
  }, 90_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('carries --context, so it reaches the clone in its cluster even when the kubeconfig points elsewhere', async () => {
    // A person with both clusters in one kubeconfig, whose current context is the other cluster.
    // Each cluster's admin address: the person's requests are theirs, not the agents' (KubeApiServer.listenAs).
    const entries = await Promise.all(
      Object.values(c.clusters).map(async ({ name, kube }) => ({
        name,
        url: await kube.server.listenAs('kubernetes-admin'),
        token: kube.token,
      })),
    );
    const config = join(mkdtempSync(join(tmpdir(), 'person-')), 'kubeconfig');
    await writeFile(
      config,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.url, 'insecure-skip-tls-verify': true } })),
        users: entries.map((e) => ({ name: e.name, user: { token: e.token } })),
        contexts: entries.map((e) => ({ name: `ctx-${e.name}`, context: { cluster: e.name, user: e.name } })),
        'current-context': 'ctx-prod-us',
      }),
    );
    await c.slack.user('U0ALICE01').runCommand('/debugdead', 'scratch-crash demo', { channel: 'C0INCIDENT' });
    const summary = await c.slack.waitFor(
      () =>
        c.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => m.text.startsWith('demo/scratch-crash ')),
      20_000,
      'the diagnosis',
    );
    await c.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const text = await c.slack.waitFor(
      () => {
        const m = c.slack
          .channel('C0INCIDENT')
          .messages()
          .find((x) => x.ts === summary.ts);
        const t = m ? visibleText(m) : '';
        return /kubectl --context ctx-prod-eu exec -it/.test(t) && /:white_check_mark: Running/.test(t) ? t : undefined;
      },
      30_000,
      'the running clone and its exec line',
    );
    const line = execLineOf(text);
    const clone = c.clusters['prod-eu']!.kube.store.list('pods', 'demo').find(
      (p) => p.metadata.annotations?.['debugdead.io/source-pod'] === 'demo/scratch-crash',
    )!;
    expect(line).toMatch(/^kubectl --context ctx-prod-eu exec -it -n demo scratch-crash-debug-\w+ -c app -- /);
    expect(await paste(line, 'hostname\n', config)).toEqual({
      code: 0,
      stdout: `${clone.metadata.name}\n`,
      stderr: NO_TTY,
    });
    // Without the context, the same line goes to the current cluster, which has no such pod (kubectl reads the pod
    // before it looks at the terminal).
    const elsewhere = await paste(line.replace('--context ctx-prod-eu ', ''), 'hostname\n', config);
    expect(elsewhere).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error from server (NotFound): pods "${clone.metadata.name}" not found\n`,
    });
  });
});
