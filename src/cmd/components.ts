/**
 * The components `skiff up` runs next to the API server, each talking to it through the API with the
 * admin kubeconfig (as separate processes would): the controller manager, the scheduler and the node
 * node runtime: a kubelet running real containers in containerd, simulated nodes, or both.
 */
import { hostname, networkInterfaces } from 'node:os';
import { signLeaf } from '../apiserver/pki/certs.js';
import type { Pki } from '../apiserver/pki/index.js';
import { legacyTokenSignerFor, startLegacyTokenController } from '../apiserver/sa-token/index.js';
import { startCriKubelet, type CriKubeletHandle } from '../kubelet/cri-kubelet/index.js';
import { RestClient, loadKubeconfig } from '../client/rest.js';
import { startControllerManager } from '../controllers/manager.js';
import { loadSimConfig } from '../kubelet/sim/config.js';
import { startSimNodeGroups, startSimNodes } from '../kubelet/sim/index.js';
import { startScheduler } from '../scheduler/index.js';
import { log } from './log.js';

export interface ComponentOptions {
  kubeconfigPath: string;
  /** Where local-path volumes are provisioned (`<dataDir>/local-path/`). */
  dataDir: string;
  pki: Pki;
  runtime: 'sim' | 'containerd';
  /** Simulated nodes to run (next to the containerd node when runtime is containerd). */
  simNodes: number;
  /** The containerd node's kubelet port (0 = any free port). */
  kubeletPort?: number;
  /** A YAML file of simulated node groups (count, capacity, labels, taints); replaces simNodes. */
  simConfigPath?: string;
}

/** The kubelet's serving certificate, signed by the cluster CA; the API server's kubelet client cert is checked against the same CA. */
async function kubeletTls(pki: Pki, nodeName: string): Promise<{ certPem: string; keyPem: string; caPem: string }> {
  const ips = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((a) => a.address);
  const leaf = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }, usage: 'server', hosts: [nodeName, hostname(), 'localhost', ...ips], validDays: 365 });
  return { ...leaf, caPem: pki.caCertPem };
}

export async function startComponents(opts: ComponentOptions): Promise<{ stop(): Promise<void> }> {
  const client = new RestClient(loadKubeconfig(opts.kubeconfigPath));
  const controllers = startControllerManager(client, {
    rootCAPem: opts.pki.caCertPem,
    dataDir: opts.dataDir,
    onError: (controller, key, err) => log.debug('reconcile failed', { controller, key, error: String(err) }),
  });
  const scheduler = await startScheduler({ client });
  const legacyTokens = await startLegacyTokenController(client, { sign: await legacyTokenSignerFor(opts.dataDir), rootCAPem: opts.pki.caCertPem });
  let kubelet: CriKubeletHandle | undefined;
  if (opts.runtime === 'containerd') {
    const nodeName = hostname().toLowerCase();
    kubelet = await startCriKubelet({
      client,
      dataDir: opts.dataDir,
      nodeName,
      kubeletPort: opts.kubeletPort,
      tls: await kubeletTls(opts.pki, nodeName),
      log: (msg, fields) => log.debug(msg, fields),
    });
  }
  const nodes = opts.simConfigPath
    ? await startSimNodeGroups(client, loadSimConfig(opts.simConfigPath))
    : await startSimNodes({ client, count: opts.simNodes });
  log.info('components started', { runtime: opts.runtime, nodes: nodes.nodeNames.length + (kubelet ? 1 : 0) });
  return {
    async stop() {
      // Containers keep running in their shims; the next `skiff up` adopts them.
      await kubelet?.stop({ stopContainerd: true }).catch((err: unknown) => log.warn('kubelet stop failed', { error: String(err) }));
      nodes.stop();
      legacyTokens.stop();
      scheduler.stop();
      controllers.stop();
      client.close();
    },
  };
}
