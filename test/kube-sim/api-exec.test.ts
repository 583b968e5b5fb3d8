import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

// pods/exec as kubectl 1.32 speaks it (client-go's WebSocket executor, subprotocol v5.channel.k8s.io) and as
// kube-apiserver 1.32's stream translator answers it: first on the wire, then through the real kubectl.

const NS = 'demo';
let sim: KubeSim;
let clock: ManualClock;
let kubeconfig: string;

const pod = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec,
});

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'kube-sim-exec-')), 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig, { namespace: NS });
  sim.store.create(
    'pods',
    pod('toolbox', {
      containers: [
        {
          name: 'shell',
          image: 'busybox:1.37',
          command: ['sleep', '3600'],
          env: [{ name: 'GREETING', value: 'hello from $(POD)' }],
          securityContext: { runAsUser: 1000, runAsGroup: 3000 },
        },
        { name: 'app', image: 'ghcr.io/acme/quotes:1.0-distroless', command: ['/app'] },
      ],
      securityContext: { fsGroup: 2000 },
    }) as never,
  );
  sim.store.create(
    'pods',
    pod('finished', {
      restartPolicy: 'Never',
      containers: [{ name: 'job', image: 'busybox:1.37', command: ['sh', '-c', 'exit 1'] }],
    }) as never,
  );
  sim.store.create(
    'pods',
    pod('unscheduled', {
      containers: [{ name: 'c', image: 'busybox:1.37' }],
      nodeSelector: { nowhere: 'true' },
    }) as never,
  );
  for (let i = 0; i < 40; i++) clock.advance(1000);
});

afterAll(async () => {
  await sim?.close();
});

/** The frames of one exec over a raw WebSocket: what the server sent, by channel, and how it closed. */
async function wsExec(
  podName: string,
  params: string,
  opts: { protocols?: string[]; stdin?: (string | Buffer)[] } = {},
): Promise<{ protocol: string; frames: Buffer[]; status: unknown; closeCode: number }> {
  const url = `${sim.url.replace('http', 'ws')}/api/v1/namespaces/${NS}/pods/${podName}/exec?${params}`;
  const ws = new WebSocket(url, opts.protocols ?? ['v5.channel.k8s.io'], {
    headers: { Authorization: `Bearer ${sim.token}` },
  });
  const frames: Buffer[] = [];
  ws.on('message', (data: Buffer) => frames.push(Buffer.from(data)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d;
      });
      res.on('end', () => reject(Object.assign(new Error(body), { statusCode: res.statusCode, body })));
    });
    ws.once('error', reject);
  });
  for (const chunk of opts.stdin ?? [])
    ws.send(typeof chunk === 'string' ? Buffer.concat([Buffer.from([0]), Buffer.from(chunk)]) : chunk);
  const closeCode = await new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const error = frames.find((f) => f[0] === 3 && f.length > 1);
  return {
    protocol: ws.protocol,
    frames,
    status: error ? JSON.parse(error.subarray(1).toString()) : undefined,
    closeCode,
  };
}

const channel = (frames: Buffer[], n: number): string =>
  frames
    .filter((f) => f[0] === n)
    .map((f) => f.subarray(1).toString())
    .join('');

/** A refused upgrade: its HTTP status and body. */
async function refused(
  podName: string,
  params: string,
  protocols?: string[],
): Promise<{ statusCode: number; body: string }> {
  try {
    await wsExec(podName, params, { protocols });
  } catch (e) {
    return e as { statusCode: number; body: string };
  }
  throw new Error('the upgrade was accepted');
}

describe('pods/exec on the wire (v5.channel.k8s.io)', () => {
  it('negotiates v5, announces itself on stdout, then sends output, a Success status on channel 3 and a normal close', async () => {
    const r = await wsExec('toolbox', 'container=shell&command=sh&command=-c&command=hostname&stdout=true&stderr=true');
    expect(r.protocol).toBe('v5.channel.k8s.io');
    expect([...(r.frames[0] ?? [])]).toEqual([1]);
    expect(channel(r.frames, 1)).toBe('toolbox\n');
    expect(r.frames.at(-1)?.subarray(1).toString()).toBe('{"metadata":{},"status":"Success"}');
    expect(r.closeCode).toBe(1000);
  });

  it('reports a non-zero exit as NonZeroExitCode with an ExitCode cause, stderr on channel 2', async () => {
    const r = await wsExec(
      'toolbox',
      'container=shell&command=sh&command=-c&command=nope%3B%20exit%207&stdout=true&stderr=true',
    );
    expect(channel(r.frames, 2)).toBe('sh: nope: not found\n');
    expect(r.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 7',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('reads stdin line by line on channel 0 until the v5 CLOSE signal [255, 0]', async () => {
    const r = await wsExec('toolbox', 'container=shell&command=sh&stdin=true&stdout=true&stderr=true', {
      stdin: [
        'echo $GREETING\n',
        'id\n',
        Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]),
        Buffer.from([255, 0]),
      ],
    });
    expect(channel(r.frames, 1)).toBe('hello from $(POD)\nuid=1000 gid=3000 groups=3000,2000\n');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('ends the session at `exit`, whatever stdin still holds', async () => {
    const r = await wsExec('toolbox', 'container=shell&command=sh&stdin=true&stdout=true&stderr=true', {
      stdin: ['echo one\nexit 3\necho two\n'],
    });
    expect(channel(r.frames, 1)).toBe('one\n');
    expect(r.status).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('with a TTY, stderr is the terminal: everything arrives on stdout', async () => {
    const r = await wsExec(
      'toolbox',
      'container=shell&command=sh&command=-c&command=missing&stdin=true&stdout=true&tty=true',
      {
        stdin: [Buffer.from([255, 0])],
      },
    );
    expect(channel(r.frames, 1)).toBe('sh: missing: not found\n');
    expect(channel(r.frames, 2)).toBe('');
  });

  it('a program the image lacks fails on the error channel as containerd reports it (an internal error, not an exit code)', async () => {
    const r = await wsExec('toolbox', 'container=app&command=sh&stdout=true&stderr=true');
    const status = r.status as { message: string; reason: string; code: number };
    expect(status.reason).toBe('InternalError');
    expect(status.code).toBe(500);
    expect(status.message).toMatch(
      /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in \$PATH: unknown$/,
    );
  });

  it('a container that is not running (waiting for its image) is refused by the kubelet after the upgrade: unable to upgrade connection', async () => {
    const r = await wsExec('imagepull', 'container=app&command=sh&stdout=true');
    expect(r.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: unable to upgrade connection: container not found ("app")',
      reason: 'InternalError',
      details: { causes: [{ message: 'unable to upgrade connection: container not found ("app")' }] },
      code: 500,
    });
  });

  it.each([
    ['an unknown pod', 'ghost', 'command=sh&stdout=true', 404, 'pods "ghost" not found'],
    [
      'an unknown container',
      'toolbox',
      'container=nope&command=sh&stdout=true',
      400,
      'container nope is not valid for pod toolbox',
    ],
    [
      'no container in a pod of two',
      'toolbox',
      'command=sh&stdout=true',
      400,
      'a container name must be specified for pod toolbox, choose one of: [shell app]',
    ],
    ['a pod on no node', 'unscheduled', 'command=sh&stdout=true', 400, 'pod unscheduled does not have a host assigned'],
  ])('%s is refused before the upgrade with a Status', async (_what, podName, params, code, message) => {
    const r = await refused(podName, params);
    expect(r.statusCode).toBe(code);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', status: 'Failure', message, code });
  });

  it('RBAC authorizes the WebSocket GET as `get` on pods/exec (kube-apiserver 1.32), with the authorizer’s 403 text', async () => {
    const undo = sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'exec', namespace: NS });
    try {
      const r = await refused('toolbox', 'container=shell&command=id&stdout=true');
      expect(r.statusCode).toBe(403);
      expect(JSON.parse(r.body).message).toBe(
        'pods "toolbox" is forbidden: User "system:serviceaccount:debugdead:debugdead" cannot get resource "pods/exec" in API group "" in the namespace "demo"',
      );
    } finally {
      undo();
    }
    expect(sim.rbac.recorded()).toContainEqual({
      verb: 'get',
      group: '',
      resource: 'pods',
      subresource: 'exec',
      namespace: NS,
    });
  });

  it('refuses a client that does not offer v5, and SPDY, saying what it serves', async () => {
    const v4 = await refused('toolbox', 'container=shell&command=id&stdout=true', ['v4.channel.k8s.io']);
    expect(v4).toMatchObject({
      statusCode: 400,
      body: 'the Kubernetes simulator serves pods/exec over v5.channel.k8s.io only',
    });
    const spdy = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${sim.url}/api/v1/namespaces/${NS}/pods/toolbox/exec?container=shell&command=id&stdout=true`,
        {
          method: 'POST',
          headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
        },
      );
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(spdy).toEqual({
      status: 400,
      body: 'the Kubernetes simulator serves pods/exec over WebSocket (v5.channel.k8s.io), not SPDY/3.1',
    });
    const plain = await fetch(`${sim.url}/api/v1/namespaces/${NS}/pods/toolbox/exec?container=shell&command=id`);
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { message: string }).message).toBe('Upgrade request required');
  });

  it('discovery lists pods/exec as kube-apiserver does', async () => {
    const list = (await (await fetch(`${sim.url}/api/v1`)).json()) as { resources: { name: string }[] };
    expect(list.resources.find((r) => r.name === 'pods/exec')).toEqual({
      name: 'pods/exec',
      singularName: '',
      namespaced: true,
      kind: 'PodExecOptions',
      verbs: ['create', 'get'],
    });
  });
});

function kubectl(
  args: string[],
  stdin?: string,
  config = kubeconfig,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  const env = { PATH: process.env.PATH, KUBECONFIG: config, HOME: home, KUBECACHEDIR: join(home, 'cache') };
  return new Promise((resolve) => {
    const child = execFile('kubectl', args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

describe('kubectl 1.32 exec against the simulator', () => {
  it('runs a command and prints what the container holds', async () => {
    const r = await kubectl([
      'exec',
      'toolbox',
      '-c',
      'shell',
      '--',
      'sh',
      '-c',
      'id; hostname; echo "$GREETING"; ls /',
    ]);
    expect(r).toEqual({
      code: 0,
      stdout:
        'uid=1000 gid=3000 groups=3000,2000\ntoolbox\nhello from $(POD)\nbin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n',
      stderr: '',
    });
  });

  it("a person's kubeconfig acts as that person: RBAC names them, and their exec is not counted as the bot's", async () => {
    const person = join(mkdtempSync(join(tmpdir(), 'kube-sim-person-')), 'kubeconfig');
    await sim.writeKubeconfig(person, { namespace: NS, user: 'jane@example.com' });
    const botUse = sim.rbac.recorded().length;
    const undo = sim.rbac.deny({ verb: '*', resource: 'pods', subresource: 'exec', namespace: NS });
    try {
      const r = await kubectl(['exec', 'toolbox', '-c', 'shell', '--', 'id'], undefined, person);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('User "jane@example.com" cannot create resource "pods/exec"');
    } finally {
      undo();
    }
    expect(await kubectl(['exec', 'toolbox', '-c', 'shell', '--', 'id'], undefined, person)).toMatchObject({ code: 0 });
    expect(sim.server.rbac.recorded('jane@example.com')).toContainEqual({
      verb: 'get',
      group: '',
      resource: 'pods',
      subresource: 'exec',
      namespace: NS,
    });
    expect(sim.rbac.recorded()).toHaveLength(botUse);
  });

  it('passes the exit code on, as `command terminated with exit code N`', async () => {
    const r = await kubectl(['exec', 'toolbox', '-c', 'shell', '--', 'sh', '-c', 'exit 42']);
    expect(r).toEqual({ code: 42, stdout: '', stderr: 'command terminated with exit code 42\n' });
  });

  it('-it with stdin from a pipe: no TTY, the shell runs each line and exits at `exit`', async () => {
    const r = await kubectl(['exec', '-it', 'toolbox', '-c', 'shell', '--', 'sh'], 'whoami\necho $HOME\nexit\n');
    expect(r.stdout).toBe('/\n');
    expect(r.stderr).toBe(
      'Unable to use a TTY - input is not a terminal or the right kind of file\nwhoami: unknown uid 1000\n',
    );
    expect(r.code).toBe(0);
  });

  it.each([
    ['an unknown pod', ['exec', 'ghost', '--', 'sh'], 'Error from server (NotFound): pods "ghost" not found\n'],
    [
      'an unknown container',
      ['exec', 'toolbox', '-c', 'nope', '--', 'sh'],
      'Error from server (BadRequest): container nope is not valid for pod toolbox\n',
    ],
    [
      'a container waiting for its image',
      ['exec', 'imagepull', '--', 'sh'],
      'error: Internal error occurred: unable to upgrade connection: container not found ("app")\n',
    ],
    [
      'a completed pod (kubectl refuses before asking)',
      ['exec', 'finished', '--', 'sh'],
      'error: cannot exec into a container in a completed pod; current phase is Failed\n',
    ],
  ])('refuses %s with the real message', async (_what, args, stderr) => {
    const r = await kubectl(args);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr });
  });

  it('a distroless container has no shell: the runtime error, exit code 1', async () => {
    const r = await kubectl(['exec', 'toolbox', '-c', 'app', '--', 'sh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in \$PATH: unknown\n$/,
    );
  });

  it('reaches a running ephemeral container (kubectl debug --target adds one)', async () => {
    const patch = await fetch(`${sim.url}/api/v1/namespaces/${NS}/pods/toolbox/ephemeralcontainers`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json', Authorization: `Bearer ${sim.token}` },
      body: JSON.stringify({
        spec: {
          ephemeralContainers: [
            { name: 'debugger', image: 'busybox:1.37', command: ['sleep', '600'], targetContainerName: 'app' },
          ],
        },
      }),
    });
    expect(patch.status).toBe(200);
    for (let i = 0; i < 5; i++) clock.advance(1000);
    const r = await kubectl(['exec', 'toolbox', '-c', 'debugger', '--', 'hostname']);
    expect(r).toEqual({ code: 0, stdout: 'toolbox\n', stderr: '' });
  });
});
