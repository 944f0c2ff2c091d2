/**
 * Pod -> CRI PodSandboxConfig, as upstream's kubelet generatePodSandboxConfig builds it: metadata,
 * hostname (not for hostNetwork pods), log directory, DNS, port mappings of every container port,
 * labels (the pod's plus io.kubernetes.pod.{name,namespace,uid}), the pod's annotations, and the
 * Linux part: cgroupfs parent per QoS class, namespaces, sysctls, the pod security context and the
 * pod-level resources (with RuntimeClass overhead when set).
 */
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { PodSandboxConfig, PortMapping } from '../cri/types.js';
import { podDNSConfig } from './dns.js';
import { ContainerConfigError } from './errors.js';
import { podIdentity, podSpecOf } from './pod-spec.js';
import { sandboxOverhead, sandboxResources } from './pod-resources.js';
import { podQOSClass } from './qos.js';
import { podSysctls, sandboxSecurityContext } from './security.js';

export interface SandboxOptions {
  /** Root of the pod log directories (upstream /var/log/pods). */
  logRoot: string;
  clusterDNS: string[];
  clusterDomain: string;
  nodeName: string;
  attempt?: number;
  /** Host resolver file for dnsPolicy Default (and host search domains); '' = none. Default: see DNSOptions.resolvConfPath. */
  resolvConfPath?: string;
  /** Node addresses (DNS fallback when there is no resolver file). */
  nodeIPs?: string[];
  /** The kubelet's cgroup root for pods, cgroupfs style. Default /kubepods. */
  cgroupRoot?: string;
}

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME_MAX_LENGTH = 63;
const FQDN_MAX_LENGTH = 64;

/** `<logRoot>/<namespace>_<name>_<uid>` (BuildPodLogsDirectory). */
export function podLogDirectory(logRoot: string, pod: KubeObject): string {
  const { name, namespace, uid } = podIdentity(pod);
  return join(logRoot, `${namespace}_${name}_${uid}`);
}

/** The pod's labels plus the three io.kubernetes.pod.* labels (newPodLabels). */
export function podSandboxLabels(pod: KubeObject): Record<string, string> {
  const { name, namespace, uid } = podIdentity(pod);
  return { ...(pod.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_NAMESPACE_LABEL]: namespace, [POD_UID_LABEL]: uid };
}

/**
 * Hostname and domain (GeneratePodHostNameAndDomain): spec.hostname or the pod name cut to 63
 * characters without a trailing `-` or `.`; domain `<subdomain>.<ns>.svc.<zone>` when a subdomain is set.
 */
export function podHostnameAndDomain(pod: KubeObject, clusterDomain: string): { hostname: string; domain: string } {
  const spec = podSpecOf(pod);
  const { name, namespace } = podIdentity(pod);
  let hostname = name;
  if (spec.hostname) {
    if (!isDNS1123Label(spec.hostname)) throw new ContainerConfigError(`pod Hostname "${spec.hostname}" is not a valid DNS label`);
    hostname = spec.hostname;
  }
  if (hostname.length > HOSTNAME_MAX_LENGTH) {
    hostname = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
    if (hostname === '') throw new ContainerConfigError(`hostname for pod "${name}" was invalid: "${spec.hostname ?? name}"`);
  }
  let domain = '';
  if (spec.subdomain) {
    if (!isDNS1123Label(spec.subdomain)) throw new ContainerConfigError(`pod Subdomain "${spec.subdomain}" is not a valid DNS label`);
    domain = `${spec.subdomain}.${namespace}.svc.${clusterDomain}`;
  }
  return { hostname, domain };
}

const isDNS1123Label = (s: string): boolean => s.length <= HOSTNAME_MAX_LENGTH && DNS1123_LABEL.test(s);

/** The kernel hostname: the FQDN when setHostnameAsFQDN and a domain exist (GetNodenameForKernel). */
function kernelHostname(hostname: string, domain: string, asFQDN: boolean | undefined): string {
  if (!asFQDN || domain === '') return hostname;
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > FQDN_MAX_LENGTH) {
    throw new ContainerConfigError(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${FQDN_MAX_LENGTH} characters is the max, ${fqdn.length} characters requested)`);
  }
  return fqdn;
}

/** Every container port as a CRI port mapping (MakePortMappings: duplicates by name dropped). */
export function podPortMappings(pod: KubeObject): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of podSpecOf(pod).containers ?? []) {
    const seen = new Set<string>();
    for (const p of c.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      const hostIP = p.hostIP ?? '';
      const family = hostIP === '' ? 'any' : hostIP.includes(':') ? 'v6' : 'v4';
      const key = p.name || `${family}-${protocol}-${hostIP}:${p.containerPort}:${p.hostPort ?? 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ protocol, container_port: p.containerPort, host_port: p.hostPort ?? 0, host_ip: hostIP });
    }
  }
  return out;
}

/** The pod's cgroupfs parent: `<root>/pod<uid>` (Guaranteed), `<root>/burstable/pod<uid>`, `<root>/besteffort/pod<uid>`. */
export function podCgroupParent(pod: KubeObject, cgroupRoot = '/kubepods'): string {
  const qos = podQOSClass(pod);
  const tier = qos === 'Burstable' ? 'burstable/' : qos === 'BestEffort' ? 'besteffort/' : '';
  return `${cgroupRoot.replace(/\/+$/, '')}/${tier}pod${podIdentity(pod).uid}`;
}

/** The pod's CRI PodSandboxConfig. Throws ContainerConfigError for an invalid hostname or subdomain. */
export function buildSandboxConfig(pod: KubeObject, opts: SandboxOptions): PodSandboxConfig {
  const spec = podSpecOf(pod);
  const { name, namespace, uid } = podIdentity(pod);
  const config: PodSandboxConfig = {
    metadata: { name, namespace, uid, attempt: opts.attempt ?? 0 },
    labels: podSandboxLabels(pod),
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    dns_config: podDNSConfig(pod, opts),
    log_directory: podLogDirectory(opts.logRoot, pod),
    linux: {
      cgroup_parent: podCgroupParent(pod, opts.cgroupRoot),
      security_context: sandboxSecurityContext(pod),
      sysctls: podSysctls(pod),
      resources: sandboxResources(pod),
    },
  };
  const overhead = sandboxOverhead(pod);
  if (overhead && config.linux) config.linux.overhead = overhead;
  if (!spec.hostNetwork) {
    const { hostname, domain } = podHostnameAndDomain(pod, opts.clusterDomain);
    config.hostname = kernelHostname(hostname, domain, spec.setHostnameAsFQDN);
  }
  const ports = podPortMappings(pod);
  if (ports.length > 0) config.port_mappings = ports;
  return config;
}
