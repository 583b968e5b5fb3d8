import { type ControlPlane, startControlPlane } from '../../control-plane/index.js';
import { startVirtualNode, type VirtualNode } from '../../control-plane/virtual-node/index.js';
import type { ContainerRule } from '../../sim/kube/kubelet/behaviour.js';
import { createAdminApi, type RealClusterInfo } from './admin-api.js';
import { applyScenario } from './apply-scenario.js';
import { installAccess } from './install-access.js';

/** The nodes of the default scenario (test/sim/kube/scenarios/default-scenario.ts). */
const NODES = ['node-1', 'node-2', 'node-3'];

export interface RealCluster {
  info: RealClusterInfo;
  plane: ControlPlane;
  /** The scenario's container behaviour, for whatever runs its pods. */
  rules: ContainerRule[];
  stop(): Promise<void>;
}

/**
 * A real control plane ready for the bot: started (test/control-plane), its nodes registered, the shipped access
 * objects of deploy/ applied, and the default scenario's objects created in namespace `demo`. One per test run
 * (vitest global setup) or per benchmark.
 */
export async function startRealCluster(options: { log?: (line: string) => void } = {}): Promise<RealCluster> {
  const plane = await startControlPlane(options.log ? { log: options.log } : {});
  const nodes: VirtualNode[] = [];
  try {
    const info: RealClusterInfo = {
      server: plane.server,
      tls: { ca: plane.adminTls.ca ?? '', cert: plane.adminTls.cert ?? '', key: plane.adminTls.key ?? '' },
      adminKubeconfig: plane.kubeconfig,
    };
    for (const name of NODES) nodes.push(await startVirtualNode(plane, { name }));
    await installAccess(info);
    const { rules } = await applyScenario(createAdminApi(info), 'default');
    return {
      info,
      plane,
      rules,
      async stop() {
        for (const node of nodes) await node.stop();
        await plane.stop();
      },
    };
  } catch (e) {
    for (const node of nodes) await node.stop();
    await plane.stop();
    throw e;
  }
}
