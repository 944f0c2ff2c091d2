/**
 * The core/v1 kinds (group ''), plus the subresource body definitions the pod endpoints use.
 * `kinds` is what src/api/index.ts serves; `eviction` is only a pods/eviction body.
 */
import type { KindDefinition } from '../../types.js';
import { configMap } from './configmap.js';
import { endpoints } from './endpoints.js';
import { event } from './event.js';
import { limitRange, resourceQuota } from './limits-and-quotas.js';
import { namespace } from './namespace.js';
import { node } from './node.js';
import { persistentVolume, persistentVolumeClaim } from './persistent-volume.js';
import { pod } from './pod.js';
import { podTemplate } from './pod-template.js';
import { replicationController } from './replication-controller.js';
import { secret } from './secret.js';
import { service } from './service.js';
import { serviceAccount } from './serviceaccount.js';
import { binding, eviction } from './subresource-bodies.js';

export { binding, eviction };
export { validatePodSpec, validatePodTemplateSpec } from './pod-validation.js';
export { defaultPod, defaultPodSpec } from './pod-defaults.js';

export const kinds: KindDefinition[] = [
  binding,
  configMap,
  endpoints,
  event,
  limitRange,
  namespace,
  node,
  persistentVolumeClaim,
  persistentVolume,
  pod,
  podTemplate,
  replicationController,
  resourceQuota,
  secret,
  serviceAccount,
  service,
];
