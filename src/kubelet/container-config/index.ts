/**
 * Kubelet container configuration: the pure translation of a Pod into the CRI requests a pod worker
 * sends to containerd, as upstream's kubelet (pkg/kubelet/kuberuntime and friends) does it.
 *
 * Inputs: the Pod (plain JSON as the API serves it), node facts (log root, cluster DNS, cluster
 * domain, node name, allocatable, memory capacity) and an ObjectGetter for ConfigMaps and Secrets.
 * Outputs:
 * - buildSandboxConfig(pod, opts) -> PodSandboxConfig (metadata, hostname, DNS, ports, labels,
 *   cgroup parent per QoS, namespaces, sysctls, pod security context, pod-level resources);
 * - resolveEnv(pod, container, getter, ctx) -> [{key, value}] (envFrom, env with $(VAR) expansion,
 *   configMap/secret key refs, fieldRef, resourceFieldRef); throws ContainerConfigError, which the
 *   worker shows as CreateContainerConfigError;
 * - buildContainerConfig(pod, container, opts) -> ContainerConfig (command/args expanded, resources,
 *   security context, labels and annotations, log path);
 * - serviceEnvMap(services, namespace, enableServiceLinks) -> the service link variables resolveEnv
 *   takes as ctx.serviceEnv (KUBERNETES_SERVICE_HOST...);
 * - podQOSClass(pod), containerHash(container), expandCommand(command, args, env).
 * Nothing here talks to containerd or the API server; everything is unit-tested without them.
 */
export type { ObjectGetter } from './getter.js';
export { ContainerConfigError } from './errors.js';
export { expand, expandCommand, mappingFor } from './expansion.js';
export { resolveEnv, isValidEnvVarName, type EnvContext, type EnvVarValue } from './env.js';
export { fieldRefValue, resourceFieldRefValue, formatMap, type FieldRefContext } from './field-ref.js';
export { podQOSClass, computePodQOS, oomScoreAdjust, type QOSClass } from './qos.js';
export { milliCPUToShares, milliCPUToQuota, calculateLinuxResources, containerResources } from './resources.js';
export { podDNSConfig, parseResolvConf, defaultResolvConfPath, type DNSOptions } from './dns.js';
export { namespacesForPod, containerSecurityContext, sandboxSecurityContext, normalizeCapability, verifyRunAsNonRoot, type ImageUser } from './security.js';
export { serviceEnvMap, serviceEnvVars } from './service-env.js';
export { podRequests, podLimits, sandboxResources, sandboxOverhead } from './pod-resources.js';
export {
  buildSandboxConfig,
  podCgroupParent,
  podHostnameAndDomain,
  podLogDirectory,
  podPortMappings,
  podSandboxLabels,
  type SandboxOptions,
} from './sandbox-config.js';
export { buildContainerConfig, containerHash, type ContainerOptions } from './container-config.js';
export type { Container, PodSpec } from './pod-spec.js';
