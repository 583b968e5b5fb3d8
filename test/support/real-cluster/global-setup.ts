import type { TestProject } from 'vitest/node';
import type { RealClusterInfo } from './admin-api.js';
import { type KubeletRulesEndpoint, serveKubeletRules } from './serve-kubelet-rules.js';
import { type RealCluster, startRealCluster } from './start-real-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    realCluster: RealClusterInfo;
  }
}

let cluster: RealCluster | undefined;
let rules: KubeletRulesEndpoint | undefined;

/**
 * One real control plane for the whole `npm run test:real` run (it takes 8–10 s to start on two cores); test files
 * run one after another against it, and each bot's harness clears what the previous one left (prepareBotAccess).
 */
export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  cluster = await startRealCluster();
  console.info(`real control plane ready for the e2e suite in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const kubelet = cluster.kubelet;
  rules = await serveKubeletRules((rule) => kubelet.addRule(rule));
  project.provide('realCluster', { ...cluster.info, kubeletRulesUrl: rules.url });
}

export async function teardown(): Promise<void> {
  await rules?.close();
  await cluster?.stop();
}
