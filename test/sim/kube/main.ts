import { parseArgs } from 'node:util';
import { startKubeSim } from './index.js';

/**
 * `npm run sim:kube -- --kubeconfig FILE [--scenario NAME] [--port N] [--pods N]`: runs the simulated cluster in
 * real time until interrupted, with a kubeconfig for it written to FILE.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      scenario: { type: 'string' },
      port: { type: 'string' },
      pods: { type: 'string' },
      'no-scenario': { type: 'boolean' },
    },
  });
  if (!values.kubeconfig) {
    process.stderr.write('usage: npm run sim:kube -- --kubeconfig FILE [--scenario NAME] [--port N] [--pods N]\n');
    process.exit(2);
  }
  const sim = await startKubeSim({
    port: values.port ? Number(values.port) : 0,
    scenario: values['no-scenario'] ? undefined : (values.scenario ?? 'default'),
    pods: values.pods ? Number(values.pods) : undefined,
  });
  await sim.writeKubeconfig(values.kubeconfig, { namespace: values['no-scenario'] ? 'default' : 'demo' });
  process.stdout.write(`kube-sim listening on ${sim.url}\nkubeconfig written to ${values.kubeconfig}\n`);
  const stop = (): void => {
    sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
