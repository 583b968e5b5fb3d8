import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free-port.js';
import { buildKubeconfig } from './build-kubeconfig.js';
import {
  type ControlPlaneBinary,
  controlPlaneBinDir,
  findControlPlaneBinaries,
  HOW_TO_BUILD_CONTROL_PLANE,
} from './control-plane-release.js';
import {
  type ControlPlaneCertificates,
  generateCertificates,
  SERVICE_CLUSTER_IP_RANGE,
} from './generate-certificates.js';
import { type ClientTls, requestUrl, type UrlResponse } from './request-url.js';
import { type SupervisedProcess, spawnSupervised } from './spawn-supervised.js';

export interface ControlPlaneOptions {
  /** Also write the admin kubeconfig (user kubernetes-admin, group system:masters) to this path. */
  kubeconfig?: string;
  /** Directory holding etcd and the three Kubernetes binaries. @defaultValue the build cache of the pinned release */
  binDir?: string;
  /** Keep the working directory (etcd data, certificates, kubeconfigs, logs) after stop. @defaultValue false */
  keepDir?: boolean;
  /** Give up when the plane is not ready after this long. @defaultValue 120000 (a loaded 2-core machine) */
  startTimeoutMs?: number;
  /** Progress lines. @defaultValue silent */
  log?: (line: string) => void;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** The admin kubeconfig inside the working directory (and at `options.kubeconfig` when given). */
  kubeconfig: string;
  /** Working directory: etcd data, certificates, kubeconfigs and one log per component. */
  dir: string;
  certificates: ControlPlaneCertificates;
  /** Milliseconds from the call until the API server was ready and `default/default` ServiceAccount existed. */
  startupMs: number;
  processes: SupervisedProcess[];
  /** The admin's client TLS (PEM text), for clients of our own. */
  adminTls: ClientTls;
  /** GET a path of the API server as the admin. */
  get(path: string): Promise<UrlResponse>;
  /** Stops every process started, newest first, and removes the working directory unless `keepDir`. */
  stop(): Promise<void>;
}

/**
 * A real control plane on loopback: etcd, kube-apiserver (Node and RBAC authorization, the default admission
 * plugins plus NodeRestriction, service-account tokens signed with a generated key), kube-scheduler and
 * kube-controller-manager (every default controller), each with its own client certificate. Ready when `/readyz`
 * says so, the scheduler's `/healthz` answers, and the controller manager has created the `default` ServiceAccount in
 * `default` (pods cannot be created in a namespace before its `default` ServiceAccount exists). No kubelet runs:
 * pods are scheduled but nothing runs them.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const binDir = options.binDir ?? controlPlaneBinDir();
  const bins = findControlPlaneBinaries(binDir);
  if (!bins) throw new Error(`${HOW_TO_BUILD_CONTROL_PLANE} (looked in ${binDir})`);
  const deadline = started + (options.startTimeoutMs ?? 120_000);

  const dir = await mkdtemp(join(tmpdir(), 'debugdead-control-plane-'));
  const processes: SupervisedProcess[] = [];
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
  };

  try {
    const pki = join(dir, 'pki');
    await mkdir(pki);
    await mkdir(join(dir, 'logs'));
    const [certificates, [etcdPort, etcdPeerPort, apiPort, schedulerPort, controllerManagerPort]] = await Promise.all([
      generateCertificates(pki),
      Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]),
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    const pem = async (pair: { cert: string; key: string }) => ({
      certPem: await readFile(pair.cert, 'utf8'),
      keyPem: await readFile(pair.key, 'utf8'),
    });
    const caPem = await readFile(certificates.ca.cert, 'utf8');
    const admin = await pem(certificates.admin);
    const kubeconfigFor = async (user: string, pair: { cert: string; key: string }, file: string) => {
      const path = join(dir, file);
      await writeFile(path, buildKubeconfig({ server, caPem, user, ...(await pem(pair)) }), { mode: 0o600 });
      return path;
    };
    const kubeconfig = await kubeconfigFor('kubernetes-admin', certificates.admin, 'admin.kubeconfig');
    const schedulerKubeconfig = await kubeconfigFor('kube-scheduler', certificates.scheduler, 'scheduler.kubeconfig');
    const controllerManagerKubeconfig = await kubeconfigFor(
      'kube-controller-manager',
      certificates.controllerManager,
      'controller-manager.kubeconfig',
    );
    if (options.kubeconfig) await writeFile(options.kubeconfig, await readFile(kubeconfig), { mode: 0o600 });

    const start = (name: ControlPlaneBinary, args: string[]) => {
      log(`starting ${name}`);
      // etcd's watchdog also removes the working directory if we die without stopping.
      const orphaned = name === 'etcd' && !options.keepDir ? { removeWhenOrphaned: dir } : {};
      const p = spawnSupervised(name, bins[name], args, join(dir, 'logs', `${name}.log`), orphaned);
      processes.push(p);
      return p;
    };
    const waitFor = (what: string, check: () => Promise<boolean>) => waitUntil(what, check, processes, deadline);
    const adminTls: ClientTls = { ca: caPem, cert: admin.certPem, key: admin.keyPem };
    const adminGet = (path: string) => getUrl(`${server}${path}`, adminTls);

    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    start('etcd', [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      // Set explicitly: the default peer port 2380 would collide with any other etcd on the machine.
      `--listen-peer-urls=${etcdPeerUrl}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl}`,
      `--initial-cluster=default=${etcdPeerUrl}`,
      // Test data: durability across a power cut is worth nothing, and fsync on a shared disk costs seconds.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await waitFor('etcd /health', async () => (await getUrl(`${etcdUrl}/health`)).body.includes('"health":"true"'));

    start('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      // Without it the API server looks for the default route's address and exits on a machine without one.
      '--advertise-address=127.0.0.1',
      // 1.37 refuses to start its endpoint reconciler with a loopback address ("may not be in the loopback range"):
      // the `kubernetes` Service gets no endpoints, which only in-cluster clients would use, and none run here.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver')}`,
      `--tls-cert-file=${certificates.apiserver.cert}`,
      `--tls-private-key-file=${certificates.apiserver.key}`,
      `--client-ca-file=${certificates.ca.cert}`,
      '--authorization-mode=Node,RBAC',
      // The default plugins (NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, RuntimeClass, PodSecurity,
      // ResourceQuota, TaintNodesByCondition, DefaultTolerationSeconds, the webhooks…) plus NodeRestriction, as
      // kubeadm enables.
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certificates.serviceAccount.publicKey}`,
      `--service-account-signing-key-file=${certificates.serviceAccount.privateKey}`,
      `--kubelet-client-certificate=${certificates.kubeletClient.cert}`,
      `--kubelet-client-key=${certificates.kubeletClient.key}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      '--profiling=false',
    ]);
    await waitFor('kube-apiserver /readyz', async () => (await adminGet('/readyz')).status === 200);

    // Both wait for the API server for only a few seconds at start-up, so they start once it is ready.
    const delegated = (kc: string) => [
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
    ];
    start('kube-scheduler', [...delegated(schedulerKubeconfig), `--secure-port=${schedulerPort}`]);
    start('kube-controller-manager', [
      ...delegated(controllerManagerKubeconfig),
      `--secure-port=${controllerManagerPort}`,
      '--controllers=*',
      // Each controller acts as its own ServiceAccount (kube-system/<controller>), as kubeadm runs it.
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${certificates.serviceAccount.privateKey}`,
      `--root-ca-file=${certificates.ca.cert}`,
      `--cluster-signing-cert-file=${certificates.ca.cert}`,
      `--cluster-signing-key-file=${certificates.ca.key}`,
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    ]);
    await waitFor(
      'kube-scheduler /healthz',
      async () => (await getUrl(`https://127.0.0.1:${schedulerPort}/healthz`, { insecure: true })).status === 200,
    );
    await waitFor(
      'kube-controller-manager /healthz',
      async () =>
        (await getUrl(`https://127.0.0.1:${controllerManagerPort}/healthz`, { insecure: true })).status === 200,
    );
    await waitFor(
      'the default ServiceAccount in namespace default',
      async () => (await adminGet('/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    );
    const startupMs = Date.now() - started;
    log(`control plane ready at ${server} in ${(startupMs / 1000).toFixed(1)} s`);
    return { server, kubeconfig, dir, certificates, startupMs, processes, adminTls, get: adminGet, stop };
  } catch (e) {
    await Promise.all(processes.map((p) => p.stop(2_000)));
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n(logs kept in ${join(dir, 'logs')})`, {
      cause: e,
    });
  }
}

/** Polls `check` every 200 ms; fails early, with its log, when a component has exited. */
async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  processes: SupervisedProcess[],
  deadline: number,
): Promise<void> {
  for (;;) {
    const dead = processes.find((p) => p.exitStatus() !== undefined);
    if (dead) throw new Error(`${dead.name} exited (${dead.exitStatus()}) while waiting for ${what}:\n${dead.tail()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}:\n${processes.map((p) => `--- ${p.name}\n${p.tail(10)}`).join('\n')}`,
      );
    }
    await sleep(200);
  }
}

function getUrl(url: string, tls: ClientTls = {}): Promise<UrlResponse> {
  return requestUrl('GET', url, { tls });
}
