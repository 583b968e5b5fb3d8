import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A client or serving identity: the API server reads the user from CN and the groups from O. */
export interface CertificateSpec {
  file: string;
  commonName: string;
  organizations?: string[];
  /** Subject alternative names for a serving certificate, e.g. `IP:127.0.0.1`, `DNS:localhost`. */
  altNames?: string[];
}

/** The files the control plane is started with, all in one directory. */
export interface ControlPlaneCertificates {
  dir: string;
  ca: { cert: string; key: string };
  apiserver: { cert: string; key: string };
  admin: { cert: string; key: string };
  scheduler: { cert: string; key: string };
  controllerManager: { cert: string; key: string };
  kubeletClient: { cert: string; key: string };
  serviceAccount: { publicKey: string; privateKey: string };
}

/** The service range; its first address is the `kubernetes` Service's, which the serving certificate must carry. */
export const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/24';
const KUBERNETES_SERVICE_IP = '10.0.0.1';

/**
 * The identities of a kubeadm-style cluster. The scheduler and the controller manager authenticate as the users the
 * API server's bootstrap RBAC policy binds (system:kube-scheduler, system:kube-controller-manager), so their
 * permissions are the real ones, not an administrator's.
 */
export const CONTROL_PLANE_IDENTITIES: Record<
  Exclude<keyof ControlPlaneCertificates, 'dir' | 'ca' | 'serviceAccount'>,
  CertificateSpec
> = {
  apiserver: {
    file: 'apiserver',
    commonName: 'kube-apiserver',
    altNames: [
      'IP:127.0.0.1',
      `IP:${KUBERNETES_SERVICE_IP}`,
      'DNS:localhost',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
    ],
  },
  admin: { file: 'admin', commonName: 'kubernetes-admin', organizations: ['system:masters'] },
  scheduler: { file: 'scheduler', commonName: 'system:kube-scheduler' },
  controllerManager: { file: 'controller-manager', commonName: 'system:kube-controller-manager' },
  kubeletClient: {
    file: 'apiserver-kubelet-client',
    commonName: 'kube-apiserver-kubelet-client',
    organizations: ['system:masters'],
  },
};

/** `openssl req` arguments that issue one leaf certificate from the CA (pure). */
export function buildLeafArgs(spec: CertificateSpec, dir: string): string[] {
  const subject = `/CN=${spec.commonName}${(spec.organizations ?? []).map((o) => `/O=${o}`).join('')}`;
  const serving = (spec.altNames ?? []).length > 0;
  return [
    'req',
    '-x509',
    '-new',
    ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', join(dir, `${spec.file}.key`), '-out', join(dir, `${spec.file}.crt`)],
    ...['-days', '7', '-subj', subject],
    ...['-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key')],
    // No config file: only the extensions below, so a leaf is never a CA.
    ...['-config', '/dev/null'],
    ...['-addext', 'basicConstraints=critical,CA:FALSE'],
    ...['-addext', 'keyUsage=critical,digitalSignature'],
    ...['-addext', `extendedKeyUsage=${serving ? 'serverAuth' : 'clientAuth'}`],
    ...(serving ? ['-addext', `subjectAltName=${spec.altNames?.join(',')}`] : []),
  ];
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(
      err.code === 'ENOENT'
        ? '`openssl` is not on PATH: install it (Debian/Ubuntu: `apt-get install openssl`).'
        : `openssl ${args[0]} failed: ${err.stderr ?? err.message}`,
    );
  }
}

/**
 * Issues one more certificate from the CA in `pkiDir` (made by generateCertificates), e.g. a kubelet's
 * `system:node:<name>` identity in group `system:nodes`.
 */
export async function issueCertificate(pkiDir: string, spec: CertificateSpec): Promise<{ cert: string; key: string }> {
  await openssl(buildLeafArgs(spec, pkiDir));
  return { cert: join(pkiDir, `${spec.file}.crt`), key: join(pkiDir, `${spec.file}.key`) };
}

/**
 * A throw-away CA and every certificate the control plane needs, with `openssl` (node:crypto cannot issue X.509
 * certificates). P-256 keys: generating RSA keys would cost seconds at every start.
 */
export async function generateCertificates(dir: string): Promise<ControlPlaneCertificates> {
  await openssl([
    'req',
    '-x509',
    '-new',
    ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt')],
    ...['-days', '7', '-subj', '/CN=debugdead-test-ca'],
  ]);
  await Promise.all(Object.values(CONTROL_PLANE_IDENTITIES).map((spec) => openssl(buildLeafArgs(spec, dir))));

  // The service-account token signing pair: the API server signs with the private key (ES256) and verifies with the
  // public one; the controller manager signs the legacy token Secrets with the same private key.
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const serviceAccount = { publicKey: join(dir, 'sa.pub'), privateKey: join(dir, 'sa.key') };
  await writeFile(serviceAccount.publicKey, publicKey);
  await writeFile(serviceAccount.privateKey, privateKey, { mode: 0o600 });

  const pair = (file: string) => ({ cert: join(dir, `${file}.crt`), key: join(dir, `${file}.key`) });
  return {
    dir,
    ca: pair('ca'),
    apiserver: pair(CONTROL_PLANE_IDENTITIES.apiserver.file),
    admin: pair(CONTROL_PLANE_IDENTITIES.admin.file),
    scheduler: pair(CONTROL_PLANE_IDENTITIES.scheduler.file),
    controllerManager: pair(CONTROL_PLANE_IDENTITIES.controllerManager.file),
    kubeletClient: pair(CONTROL_PLANE_IDENTITIES.kubeletClient.file),
    serviceAccount,
  };
}
