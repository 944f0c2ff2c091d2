/**
 * The kubelet-managed /etc/hosts of a pod (upstream's managedHostsFileContent in pkg/kubelet):
 * localhost lines, one `<podIP>\t<hostname>[.<subdomain>.<ns>.svc.<zone>\t<hostname>]` line per pod IP,
 * then the pod's hostAliases. Pods on the host network keep the node's /etc/hosts (not mounted here).
 */
import type { KubeObject } from '../../api/types.js';
import { podSpec } from './types.js';

const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';

/** Upstream's GeneratePodHostNameAndDomain: spec.hostname or the pod name cut to 63 characters. */
export function podHostnameAndDomain(pod: KubeObject, clusterDomain: string): { hostname: string; domain: string } {
  const spec = podSpec(pod);
  let hostname = spec.hostname || pod.metadata?.name || '';
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const domain = spec.subdomain ? `${spec.subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

export function managedHostsFileContent(pod: KubeObject, podIPs: string[], clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = MANAGED_HOSTS_HEADER;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  const aliases = podSpec(pod).hostAliases ?? [];
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const alias of aliases) for (const name of alias.hostnames ?? []) out += `${alias.ip ?? ''}\t${name}\n`;
  }
  return out;
}
