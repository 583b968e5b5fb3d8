/**
 * The simulators for bench/alerts.ts, in a child process so that their memory (150,000 pod objects, Slack state) is
 * not counted in the bot's resident memory. Driven over IPC: each request `{id, op, ...}` gets `{id, result}`.
 */
import { type KubeSim, startKubeSim } from '../sim/kube/index.js';
import { buildNamespace } from '../sim/kube/scenarios/build-objects.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { createPod, ensureNode, type PodState, podName, setPodState } from './cluster.js';

type Request =
  | { id: number; op: 'createPods'; ns: string; deployment: string; count: number; state: PodState }
  | { id: number; op: 'setState'; ns: string; deployment: string; i: number; state: PodState }
  | { id: number; op: 'posts'; channel: string; contains: string }
  | { id: number; op: 'rateLimited' }
  | { id: number; op: 'watches'; resource: string }
  | { id: number; op: 'close' };

const [kubeconfigPath, podsArg] = process.argv.slice(2);
if (!kubeconfigPath || !process.send)
  throw new Error('usage: bench-sim-child.ts KUBECONFIG PODS (with an IPC channel)');
const send = (m: unknown): void => {
  process.send?.(m);
};

const kube: KubeSim = await startKubeSim({ pods: Number(podsArg ?? 50_000) });
ensureNode(kube);
// Where the replicas' Lease lives (deploy/base/namespaces.yaml).
kube.store.create('namespaces', buildNamespace('debugdead-system'));
await kube.writeKubeconfig(kubeconfigPath);
const slack: SlackSim = await startSlackSim({ rateLimits: true });

process.on('message', async (req: Request) => {
  let result: unknown;
  switch (req.op) {
    case 'createPods':
      for (let i = 0; i < req.count; i++) createPod(kube, req.ns, req.deployment, i, req.state);
      break;
    case 'setState':
      setPodState(kube, req.ns, podName(req.deployment, req.i), req.state);
      break;
    case 'posts':
      result = slack
        .calls('chat.postMessage')
        .filter((c) => c.ok && String(c.args.text ?? '').includes(req.contains)).length;
      break;
    case 'rateLimited':
      result = slack.rateLimited();
      break;
    case 'watches':
      result = kube.server.openWatchCount(req.resource);
      break;
    case 'close':
      await slack.close();
      await kube.close();
      send({ id: req.id, result: null });
      process.exit(0);
  }
  send({ id: req.id, result });
});

send({ ready: { apiUrl: slack.apiUrl, botToken: slack.botToken, pods: kube.store.count('pods') } });
