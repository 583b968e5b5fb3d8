// `npm run control-plane -- [--kubeconfig FILE] [--keep]`: a real control plane on loopback until Ctrl-C.
import { parseArgs } from 'node:util';
import { startControlPlane } from './start-control-plane.js';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, keep: { type: 'boolean', default: false } },
});

try {
  const plane = await startControlPlane({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    keepDir: values.keep,
    log: (line) => console.log(line),
  });
  const kubeconfig = values.kubeconfig ?? plane.kubeconfig;
  console.log(`ready in ${(plane.startupMs / 1000).toFixed(1)} s: ${plane.server}`);
  console.log(`  export KUBECONFIG=${kubeconfig}`);
  console.log(`  logs: ${plane.dir}/logs/ (no kubelet runs: pods are scheduled, nothing runs them)`);
  console.log('Ctrl-C stops everything.');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the control plane`);
    await plane.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A component that dies takes the plane down with it, rather than leaving a half-working cluster.
  for (const p of plane.processes) {
    void p.exited.then(async (status) => {
      if (stopping) return;
      console.error(`${p.name} exited (${status}):\n${p.tail()}`);
      stopping = true;
      await plane.stop();
      process.exit(1);
    });
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
