import { createServer } from 'node:http';
import type { ContainerRule } from '../../sim/kube/kubelet/behaviour.js';

/** A loopback endpoint through which test files add container rules to the run's one virtual kubelet. */
export interface KubeletRulesEndpoint {
  /** POST a rule (JSON) here. */
  url: string;
  close(): Promise<void>;
}

/**
 * The virtual kubelet runs in vitest's main process (global setup) and the tests in forked workers: a test that brings
 * its own app behaviour (a failing postStart hook, a leaky log) posts the rule here, and it applies to containers the
 * kubelet starts afterwards, as `kubelet.addRule` does in the simulator.
 */
export async function serveKubeletRules(addRule: (rule: ContainerRule) => void): Promise<KubeletRulesEndpoint> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      try {
        addRule(JSON.parse(body) as ContainerRule);
        res.writeHead(204).end();
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the kubelet rules endpoint has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/rules`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A rule as JSON for {@link serveKubeletRules}; a RegExp would arrive as `{}`, so it is refused here. */
export function ruleToJson(rule: ContainerRule): string {
  if (rule.image instanceof RegExp || rule.command instanceof RegExp) {
    throw new Error('a kubelet rule with a RegExp cannot reach the real backend: use a string image and command');
  }
  return JSON.stringify(rule);
}
