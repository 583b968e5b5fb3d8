// `npm run control-plane -- [--kubeconfig FILE] [--keep] [--nodes a,b | --no-kubelet] [--scenario NAME]`: a real
// control plane on loopback, with the virtual kubelet running pods on its nodes, until Ctrl-C.
import { parseArgs } from 'node:util';
import { startControlPlane } from './start-control-plane.js';
import { startVirtualKubelet, type VirtualKubelet } from './virtual-kubelet/index.js';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Comma-separated node names. @defaultValue the scenario's nodes, else node-1 */
    nodes: { type: 'string' },
    'no-kubelet': { type: 'boolean', default: false },
    /** A simulator scenario: default, workloads, all, empty. */
    scenario: { type: 'string' },
  },
});

try {
  const plane = await startControlPlane({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    keepDir: values.keep,
    log: (line) => console.log(line),
  });
  let kubelet: VirtualKubelet | undefined;
  if (!values['no-kubelet']) {
    kubelet = await startVirtualKubelet({
      plane,
      ...(values.nodes ? { nodeNames: values.nodes.split(',').filter(Boolean) } : {}),
      ...(values.scenario ? { scenario: values.scenario } : {}),
      log: (line) => console.error(`virtual kubelet: ${line}`),
    }).catch(async (e) => {
      await plane.stop();
      throw e;
    });
  }
  const kubeconfig = values.kubeconfig ?? plane.kubeconfig;
  console.log(`ready in ${(plane.startupMs / 1000).toFixed(1)} s: ${plane.server}`);
  console.log(`  export KUBECONFIG=${kubeconfig}`);
  console.log(
    kubelet
      ? `  nodes: ${kubelet.nodes.map((n) => n.name).join(', ')} (virtual kubelet API on 127.0.0.1:${kubelet.port})`
      : '  no kubelet runs: pods are scheduled, nothing runs them',
  );
  console.log(`  logs: ${plane.dir}/logs/`);
  console.log('Ctrl-C stops everything.');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the control plane`);
    await kubelet?.stop();
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
      await kubelet?.stop();
      await plane.stop();
      process.exit(1);
    });
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
