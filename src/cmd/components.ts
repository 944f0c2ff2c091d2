/**
 * The components `skiff up` runs next to the API server, each talking to it through the API with the
 * admin kubeconfig (as separate processes would): the controller manager, the scheduler and the node
 * runtime (simulated nodes for now).
 */
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
  caCertPem: string;
  runtime: 'sim';
  simNodes: number;
  /** A YAML file of simulated node groups (count, capacity, labels, taints); replaces simNodes. */
  simConfigPath?: string;
}

export async function startComponents(opts: ComponentOptions): Promise<{ stop(): void }> {
  const client = new RestClient(loadKubeconfig(opts.kubeconfigPath));
  const controllers = startControllerManager(client, {
    rootCAPem: opts.caCertPem,
    dataDir: opts.dataDir,
    onError: (controller, key, err) => log.debug('reconcile failed', { controller, key, error: String(err) }),
  });
  const scheduler = await startScheduler({ client });
  const nodes = opts.simConfigPath
    ? await startSimNodeGroups(client, loadSimConfig(opts.simConfigPath))
    : await startSimNodes({ client, count: opts.simNodes });
  log.info('components started', { runtime: opts.runtime, nodes: nodes.nodeNames.length });
  return {
    stop() {
      nodes.stop();
      scheduler.stop();
      controllers.stop();
      client.close();
    },
  };
}
