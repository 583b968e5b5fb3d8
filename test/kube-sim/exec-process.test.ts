import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildExecEnvironment } from '../sim/kube/kubelet/exec-environment.js';
import { ExecSession, type ExecStart } from '../sim/kube/kubelet/exec-shell.js';

// The process model behind `kubectl exec` in the simulator: what a command prints, derived from the pod spec and the
// image catalogue, without a server in between.

type Json = any;

const pod = (spec: Json, name = 'web-1'): Json => ({
  metadata: { name, namespace: 'demo', uid: 'uid-1', labels: { app: 'web' } },
  spec: { nodeName: 'node-a', ...spec },
  status: { podIP: '10.244.1.7', hostIP: '172.18.0.2' },
});
const one = (container: Json, spec: Json = {}): Json => pod({ containers: [{ name: 'c', ...container }], ...spec });

/** Runs `argv` to the end (stdin closed after `input`): stdout, stderr and the exit code, or the runtime's refusal. */
function run(
  p: Json,
  argv: string[],
  input?: string,
  container = 'c',
): { out: string; err: string; code: number } | string {
  const start: ExecStart = ExecSession.start(buildExecEnvironment(p, container), argv, { stdin: input !== undefined });
  if (start.kind === 'runtimeError') return start.message;
  const outputs = [...start.outputs];
  let code: number;
  if (start.kind === 'done') code = start.exitCode;
  else {
    outputs.push(...start.session.write(input ?? ''));
    const end = start.session.end();
    outputs.push(...end.outputs);
    code = end.exitCode;
  }
  const text = (fd: number) =>
    outputs
      .filter((o) => o.fd === fd)
      .map((o) => o.text)
      .join('');
  return { out: text(1), err: text(2), code };
}

const busybox = (extra: Json = {}) => one({ image: 'busybox:1.37', command: ['sleep', '3600'], ...extra });

/** A debug clone of a distroless container, as debugdead builds it: busybox copied into an emptyDir by an init container. */
const clone = (copied = true): Json =>
  pod(
    {
      initContainers: copied
        ? [
            {
              name: 'debugdead-tools',
              image: 'busybox:1.37-musl',
              command: [
                '/bin/busybox',
                'sh',
                '-c',
                'cp /bin/busybox /.debugdead/busybox && mkdir -p /.debugdead/bin && /.debugdead/busybox --install -s /.debugdead/bin',
              ],
              volumeMounts: [{ name: 'debugdead-tools', mountPath: '/.debugdead' }],
            },
          ]
        : [],
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/ledger:2.3.1-distroless',
          command: ['/.debugdead/busybox', 'sleep', '3600'],
          securityContext: { runAsUser: 65532 },
          volumeMounts: [{ name: 'debugdead-tools', mountPath: '/.debugdead' }],
        },
      ],
      volumes: [{ name: 'debugdead-tools', emptyDir: {} }],
    },
    'ledger-debug-x1y2z',
  );

describe('what exec finds in a container', () => {
  it.each([
    [
      'no securityContext: root, in wheel as busybox’s /etc/group says',
      busybox(),
      'uid=0(root) gid=0(root) groups=0(root),10(wheel)',
    ],
    [
      'the container’s runAsUser/runAsGroup over the pod’s, fsGroup and supplementalGroups added',
      busybox({ securityContext: { runAsUser: 1001, runAsGroup: 1002 } }),
      'uid=1001 gid=1002 groups=1002',
    ],
    [
      'the pod’s securityContext',
      one(
        { image: 'busybox:1.37', command: ['sleep', '1'] },
        { securityContext: { runAsUser: 65534, fsGroup: 2000, supplementalGroups: [3000, 2000] } },
      ),
      'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),2000,3000',
    ],
  ])('id: %s', (_what, p, line) => {
    expect(run(p, ['id'])).toEqual({ out: `${line}\n`, err: '', code: 0 });
  });

  it.each([
    ['the pod name', busybox(), 'web-1'],
    ['spec.hostname when set', one({ image: 'busybox:1.37' }, { hostname: 'db-0' }), 'db-0'],
    ['the node name with hostNetwork', one({ image: 'busybox:1.37' }, { hostNetwork: true }), 'node-a'],
  ])('hostname: %s', (_what, p, name) => {
    expect(run(p, ['hostname'])).toEqual({ out: `${name}\n`, err: '', code: 0 });
  });

  it('env: PATH and HOSTNAME, the container’s env with $(VAR) and the downward API, the kubernetes Service, HOME', () => {
    const p = busybox({
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'URL', value: 'http://$(POD):8080/$$x/$(NOPE)' },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
    });
    const r = run(p, ['env']) as { out: string };
    expect(r.out.split('\n').slice(0, 6)).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=web-1',
      'POD=web-1',
      'URL=http://web-1:8080/$x/$(NOPE)',
      'IP=10.244.1.7',
      'APP=web',
    ]);
    expect(r.out).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(r.out.endsWith('HOME=/root\n')).toBe(true);
  });

  it('ConfigMap and Secret keys come through the kubelet’s reader; a missing optional key leaves the variable unset', () => {
    const p = busybox({
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'sec', key: 'token', optional: true } } },
      ],
    });
    const env = buildExecEnvironment(p, 'c', (kind, name, key) =>
      kind === 'configmaps' && name === 'cfg' && key === 'mode' ? 'fast' : undefined,
    );
    expect(env.env.filter(([k]) => k === 'MODE' || k === 'TOKEN')).toEqual([['MODE', 'fast']]);
  });

  it('ls / lists the image’s root and the volumes mounted on it; dot entries only with -a', () => {
    const p = busybox({
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 't', mountPath: '/.tools' },
      ],
    });
    p.spec.volumes = [
      { name: 'data', emptyDir: {} },
      { name: 't', emptyDir: {} },
    ];
    expect((run(p, ['ls', '/']) as { out: string }).out).toBe(
      'bin\ndata\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n',
    );
    expect((run(p, ['ls', '-a', '/']) as { out: string }).out).toMatch(/^\.\n\.\.\n\.tools\nbin\n/);
    expect(run(p, ['ls', '/nope'])).toEqual({ out: '', err: 'ls: /nope: No such file or directory\n', code: 1 });
  });
});

describe('starting programs', () => {
  it.each([
    ['a bare name not on PATH', ['sh'], 'exec: "sh": executable file not found in $PATH'],
    ['a path that does not exist', ['/bin/bash'], 'exec: "/bin/bash": stat /bin/bash: no such file or directory'],
  ])('in a distroless image, %s is the runtime’s refusal', (_what, argv, message) => {
    expect(run(one({ image: 'gcr.io/distroless/static-debian12', command: ['/app'] }), argv)).toBe(message);
  });

  it.each([
    ['busybox ash', 'busybox:1.37', 'sh: nope: not found\n'],
    ['dash', 'debian:12', 'sh: 1: nope: not found\n'],
  ])('%s reports a missing command with exit code 127', (_what, image, err) => {
    expect(run(one({ image, command: ['sleep', '1'] }), ['sh', '-c', 'nope'])).toEqual({ out: '', err, code: 127 });
  });

  it('a debug clone’s injected busybox gives a shell, where applets are called through it (not on PATH, no standalone shell)', () => {
    const r = run(
      clone(),
      ['/.debugdead/busybox', 'sh'],
      'ls /\n/.debugdead/busybox id\n/.debugdead/busybox ls -a /\n',
      'app',
    );
    expect(r).toEqual({
      out:
        'uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)\n' +
        '.\n..\n.debugdead\nbin\nboot\ndev\netc\nhome\nlib\nproc\nroot\nrun\nsbin\nsys\ntmp\nusr\nvar\n',
      err: 'sh: ls: not found\n',
      code: 0,
    });
  });

  it('with the applet links on PATH (the exec line debugdead renders), the shell finds ls, id and cat', () => {
    const line = ['/.debugdead/busybox', 'sh', '-c', 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'];
    const r = run(clone(), line, 'id; hostname; ls /.debugdead; cat /etc/hostname; echo $PATH\n', 'app');
    expect(r).toEqual({
      out:
        'uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)\nledger-debug-x1y2z\nbin\nbusybox\nledger-debug-x1y2z\n' +
        '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/.debugdead/bin\n',
      err: '',
      code: 0,
    });
  });

  it('without the init container that copies it, the clone has no busybox at that path', () => {
    expect(run(clone(false), ['/.debugdead/busybox', 'sh'], undefined, 'app')).toBe(
      'exec: "/.debugdead/busybox": stat /.debugdead/busybox: no such file or directory',
    );
  });

  it('sh -c runs lists with ;, && and ||, expands variables, and keeps quotes', () => {
    const r = run(busybox({ env: [{ name: 'A', value: 'x y' }] }), [
      'sh',
      '-c',
      `false && echo no || echo "$A" '$A'; B=1; export C=2; echo $B$C; exit 5`,
    ]);
    expect(r).toEqual({ out: 'x y $A\n12\n', err: '', code: 5 });
  });

  it('refuses pipes and redirections rather than run them wrongly', () => {
    expect(run(busybox(), ['sh', '-c', 'env | grep PATH'])).toEqual({
      out: '',
      err: "sh: the Kubernetes simulator does not model '|' in exec'd shells\n",
      code: 2,
    });
  });
});

describe('an ephemeral debug container (kubectl debug --target)', () => {
  const withDebugger = (capabilities: Json) =>
    pod({
      containers: [
        {
          name: 'app',
          image: 'gcr.io/distroless/static-debian12',
          command: ['/ledger', '--serve'],
          securityContext: { runAsUser: 65532 },
        },
      ],
      ephemeralContainers: [
        {
          name: 'debugger',
          image: 'busybox:1.37-musl',
          command: ['sleep', '600'],
          targetContainerName: 'app',
          securityContext: { capabilities },
        },
      ],
    });

  it('sees the target as PID 1 and its filesystem under /proc/1/root', () => {
    const r = run(withDebugger({ add: ['SYS_PTRACE'] }), ['sh', '-c', 'ps; ls /proc/1/root/'], undefined, 'debugger');
    expect(r).toEqual({
      out:
        // busybox's ps names users from the debugger's own /etc/passwd, which has no 65532.
        'PID   USER     TIME  COMMAND\n    1 65532    0:00 /ledger --serve\n    7 root     0:00 ps\n' +
        'bin\nboot\ndev\netc\nhome\nlib\nproc\nroot\nrun\nsbin\nsys\ntmp\nusr\nvar\n',
      err: '',
      code: 0,
    });
  });

  it('without CAP_SYS_PTRACE, another user’s /proc/1/root cannot be opened', () => {
    expect(run(withDebugger({}), ['ls', '/proc/1/root/'], undefined, 'debugger')).toEqual({
      out: '',
      err: "ls: can't open '/proc/1/root/': Permission denied\n",
      code: 1,
    });
  });
});

describe('nsenter into the node (a node shell)', () => {
  const nodeShell = (securityContext: Json, hostPID = true) =>
    pod(
      {
        hostPID,
        hostNetwork: true,
        containers: [{ name: 'shell', image: 'busybox:1.37-musl', command: ['sleep', '3600'], securityContext }],
      },
      'node-shell-node-a-abcde',
    );
  const enter = ['nsenter', '--target', '1', '--mount', '--uts', '--ipc', '--net', '--pid', '--', 'sh', '-l'];

  it('privileged with hostPID: a login shell on the node, as root, with the node’s hostname and root filesystem', () => {
    const r = run(nodeShell({ privileged: true, runAsUser: 0 }), enter, 'id\nhostname\nls /\nexit\n', 'shell');
    expect(r).toEqual({
      out:
        // nsenter keeps the container's credentials (root, in busybox's wheel group); names come from the node's files.
        'uid=0(root) gid=0(root) groups=0(root),10(uucp)\nnode-a\n' +
        'bin\nboot\ndev\netc\nhome\nlib\nlib64\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar\n',
      err: '',
      code: 0,
    });
  });

  it.each([
    [
      'not privileged, hostPID: the node’s PID 1 namespaces cannot be opened',
      true,
      "nsenter: can't open '/proc/1/ns/ipc': Permission denied\n",
    ],
    [
      'not privileged, own PID namespace: setns needs CAP_SYS_ADMIN',
      false,
      "nsenter: setns(): can't reassociate to namespace 'ipc': Operation not permitted\n",
    ],
  ])('%s', (_what, hostPID, err) => {
    expect(run(nodeShell({ runAsUser: 0 }, hostPID), enter, 'id\n', 'shell')).toEqual({ out: '', err, code: 1 });
  });

  it('exit leaves the inner shell for the outer one; the end of input ends both', () => {
    const p = nodeShell({ privileged: true, runAsUser: 1000 });
    p.spec.hostNetwork = false;
    const r = run(p, ['sh'], `hostname\n${enter.join(' ')}\nhostname; id -u\nexit 3\necho $?; hostname\n`, 'shell');
    expect(r).toEqual({ out: 'node-shell-node-a-abcde\nnode-a\n1000\n3\nnode-shell-node-a-abcde\n', err: '', code: 0 });
  });
});

describe('any line', () => {
  it('runs without throwing, with an exit code of 0 to 255', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (line) => {
        const r = run(busybox(), ['sh'], `${line}\n`);
        if (typeof r === 'string') throw new Error(r);
        return Number.isInteger(r.code) && r.code >= 0 && r.code <= 255;
      }),
    );
  });
});
