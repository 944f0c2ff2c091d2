/**
 * kube-controller-manager: starts every controller, but only while this process holds the
 * `kube-controller-manager` Lease in kube-system, so two Skiff servers never both run them.
 * Input: a REST client for the cluster. Output: a handle that stops everything.
 */
import { hostname } from 'node:os';
import type { RestClient } from '../client/rest.js';
import { startLeaderElection } from '../runtime/leader-election.js';
import { startCronJobController } from './cronjob/index.js';
import { startDaemonSetController } from './daemonset/index.js';
import { startDeploymentController } from './deployment/index.js';
import { startJobController } from './job/index.js';
import { startStatefulSetController } from './statefulset/index.js';
import { startEndpointsController } from './endpoints/index.js';
import { startEndpointSliceController } from './endpointslice/index.js';
import { startGarbageCollectorController } from './garbagecollector/index.js';
import { startNamespaceController } from './namespace/index.js';
import { startNodeLifecycleController } from './nodelifecycle/index.js';
import { startPersistentVolumeController } from './persistentvolume/index.js';
import { startLocalPathProvisioner } from './localpath/index.js';
import { startTTLAfterFinishedController } from './ttlafterfinished/index.js';
import { startPodGCController } from './podgc/index.js';
import { startResourceQuotaController } from './resourcequota/index.js';
import { startDisruptionController } from './disruption/index.js';
import { startReplicaSetController } from './replicaset/index.js';
import { startServiceAccountController } from './serviceaccount/index.js';

export interface ControllerManagerOptions {
  /** Cluster CA published as kube-root-ca.crt in every namespace. */
  rootCAPem?: string;
  /** Data directory: local-path volumes live under <dataDir>/local-path (no local-path provisioner without it). */
  dataDir?: string;
  onError?: (controller: string, key: string, err: unknown) => void;
}

type Stoppable = { stop(): void };

export async function startControllers(client: RestClient, opts: ControllerManagerOptions = {}): Promise<Stoppable[]> {
  const onError = (name: string) => (key: string, err: unknown) => opts.onError?.(name, key, err);
  return Promise.all([
    startNamespaceController(client, { onError: onError('namespace') }),
    startServiceAccountController(client, { rootCAPem: opts.rootCAPem, onError: onError('serviceaccount') }),
    startGarbageCollectorController(client, {}),
    startReplicaSetController(client, {}),
    startDeploymentController(client, {}),
    startStatefulSetController(client, {}),
    startDaemonSetController(client, {}),
    startJobController(client, {}),
    startCronJobController(client, {}),
    startEndpointsController(client, {}),
    startEndpointSliceController(client, {}),
    startPodGCController(client, {}),
    startNodeLifecycleController(client, {}),
    startTTLAfterFinishedController(client, {}),
    startResourceQuotaController(client, { onError: onError('resourcequota') }),
    startDisruptionController(client, { onError: onError('disruption') }),
    startPersistentVolumeController(client, { onError: onError('persistentvolume-binder') }),
    ...(opts.dataDir ? [startLocalPathProvisioner(client, { dataDir: opts.dataDir, onError: onError('local-path-provisioner') })] : []),
  ]);
}

export function startControllerManager(client: RestClient, opts: ControllerManagerOptions = {}): { stop(): void } {
  let running: Stoppable[] = [];
  let starting: Promise<void> | undefined;
  const election = startLeaderElection({
    client,
    name: 'kube-controller-manager',
    identity: `${hostname()}_${process.pid}`,
    onStartedLeading: () => {
      starting = startControllers(client, opts).then((c) => {
        running = c;
      });
    },
    onStoppedLeading: () => {
      void starting?.then(() => {
        for (const c of running) c.stop();
        running = [];
      });
    },
  });
  return {
    stop() {
      election.stop();
      for (const c of running) c.stop();
      running = [];
    },
  };
}
