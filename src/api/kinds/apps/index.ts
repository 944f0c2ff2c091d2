/**
 * The apps/v1 kinds served by the API server: Deployment, ReplicaSet, StatefulSet, DaemonSet,
 * ControllerRevision. Each file exports one KindDefinition.
 */
import type { KindDefinition } from '../../types.js';
import { controllerRevision } from './controller-revision.js';
import { daemonSet } from './daemonset.js';
import { deployment } from './deployment.js';
import { replicaSet } from './replicaset.js';
import { statefulSet } from './statefulset.js';

export { controllerRevision, daemonSet, deployment, replicaSet, statefulSet };
export { TEMPLATE_GENERATION_ANNOTATION, prepareDaemonSetForUpdate } from './daemonset.js';
export const kinds: KindDefinition[] = [deployment, replicaSet, statefulSet, daemonSet, controllerRevision];
