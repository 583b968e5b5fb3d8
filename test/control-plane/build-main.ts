// `npm run control-plane:build [-- --force]`: builds the real control plane's binaries into the cache, once per
// release.
import { buildControlPlane } from './build-control-plane.js';

const force = process.argv.includes('--force');
try {
  const result = await buildControlPlane({ force });
  const sizes = Object.entries(result.sizes)
    .map(([name, bytes]) => `${name} ${(bytes / 1024 / 1024).toFixed(0)} MB`)
    .join(', ');
  const minutes = `${Math.floor(result.seconds / 60)}m${String(result.seconds % 60).padStart(2, '0')}s`;
  console.log(
    result.built
      ? `built Kubernetes ${result.release.kubernetes} (etcd ${result.release.etcd}) in ${minutes}: ${result.dir}`
      : `already built (Kubernetes ${result.release.kubernetes}, etcd ${result.release.etcd}): ${result.dir}` +
          ' (--force rebuilds)',
  );
  console.log(sizes);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
