/**
 * A pod's DNS settings (CRI DNSConfig), as upstream's kubelet forms them (pkg/kubelet/network/dns):
 *
 * - ClusterFirst (and ClusterFirstWithHostNet): nameservers = the cluster DNS addresses, searches
 *   `<ns>.svc.<zone> svc.<zone> <zone>` followed by the host's, options `ndots:5`. Without cluster DNS
 *   addresses it falls back to Default. ClusterFirst on a hostNetwork pod means Default.
 * - Default: the host's resolv.conf (nameservers, search, options); with no resolv.conf path, 127.0.0.1
 *   (::1 for an IPv6 node) and search `.`.
 * - None: nothing but the pod's dnsConfig.
 * Then pod.spec.dnsConfig is appended (duplicates dropped, options merged by name) and the result cut
 * to upstream's limits: 3 nameservers, 32 search domains, 2048 characters of search line.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { KubeObject } from '../../api/types.js';
import type { DNSConfig } from '../cri/types.js';
import { podIdentity, podSpecOf, type PodDNSConfig } from './pod-spec.js';

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MAX_SEARCH_DOMAIN_LENGTH = 253;

export interface DNSOptions {
  clusterDNS: string[];
  clusterDomain: string;
  /**
   * The host resolver file; '' = none (upstream's --resolv-conf=""). Default: defaultResolvConfPath()
   * (/etc/resolv.conf, or systemd-resolved's upstream list when /etc/resolv.conf only names loopback).
   */
  resolvConfPath?: string;
  /** Node addresses, only to pick 127.0.0.1 or ::1 when there is no resolver file. */
  nodeIPs?: string[];
}

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** Upstream parseResolvConf: nameservers accumulate; the last search and options lines win. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields.length >= 2) out.nameservers.push(fields[1]!);
    if (fields[0] === 'search') out.searches = fields.slice(1).filter((s) => s !== '.').map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    if (fields[0] === 'options') out.options = fields.slice(1);
  }
  return out;
}

/**
 * The resolver file a node should hand pods with dnsPolicy Default: /etc/resolv.conf, unless it only
 * names loopback resolvers (systemd-resolved's 127.0.0.53, unreachable from a pod's network
 * namespace) and systemd-resolved's real upstream list exists — what kubeadm detects too.
 */
export function defaultResolvConfPath(etc = '/etc/resolv.conf', resolved = '/run/systemd/resolve/resolv.conf'): string {
  try {
    const servers = parseResolvConf(readFileSync(etc, 'utf8')).nameservers;
    const loopbackOnly = servers.length > 0 && servers.every((s) => s.startsWith('127.') || s === '::1');
    if (loopbackOnly && existsSync(resolved)) return resolved;
  } catch {
    // No /etc/resolv.conf: fall through to the upstream default path.
  }
  return etc;
}

const unique = (list: string[]): string[] => [...new Set(list)];

type PodDNSType = 'cluster' | 'host' | 'none';

function podDNSType(pod: KubeObject): PodDNSType {
  const spec = podSpecOf(pod);
  switch (spec.dnsPolicy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    case 'ClusterFirst':
      return spec.hostNetwork ? 'host' : 'cluster';
    default:
      // Upstream logs an invalid policy (the API server rejects those) and uses ClusterFirst.
      return 'cluster';
  }
}

/** Options merged by name, the pod's overriding the base ones (mergeDNSOptions); first-seen order. */
function mergeOptions(base: string[], extra: NonNullable<PodDNSConfig['options']>): string[] {
  const byName = new Map<string, string>();
  for (const op of base) {
    const i = op.indexOf(':');
    if (i === -1) byName.set(op, '');
    else byName.set(op.slice(0, i), op.slice(i + 1));
  }
  for (const op of extra) byName.set(op.name, op.value ?? '');
  return [...byName].map(([name, value]) => (value !== '' ? `${name}:${value}` : name));
}

function fitSearches(searches: string[]): string[] {
  let out = searches.slice(0, MAX_DNS_SEARCH_PATHS).filter((s) => s.length <= MAX_SEARCH_DOMAIN_LENGTH);
  let length = out.join(' ').length;
  while (length > MAX_DNS_SEARCH_LIST_CHARS && out.length > 0) {
    length -= out[out.length - 1]!.length + 1;
    out = out.slice(0, -1);
  }
  return out;
}

/** The pod's CRI DNSConfig (GetPodDNS). Reads the host resolver file for Default and ClusterFirst. */
export function podDNSConfig(pod: KubeObject, opts: DNSOptions): DNSConfig {
  const resolvPath = opts.resolvConfPath ?? defaultResolvConfPath();
  const host = resolvPath === '' ? { nameservers: [], searches: [], options: [] } : parseResolvConf(readFileSync(resolvPath, 'utf8'));
  let servers = host.nameservers;
  let searches = host.searches;
  let options = host.options;
  let type = podDNSType(pod);
  if (type === 'none') {
    servers = [];
    searches = [];
    options = [];
  } else if (type === 'cluster' && opts.clusterDNS.length > 0) {
    servers = [...opts.clusterDNS];
    if (opts.clusterDomain !== '') {
      const zone = opts.clusterDomain;
      searches = unique([`${podIdentity(pod).namespace}.svc.${zone}`, `svc.${zone}`, zone, ...searches]);
    }
    options = ['ndots:5'];
  } else if (type === 'cluster') {
    type = 'host';
  }
  if (type === 'host' && resolvPath === '') {
    servers = (opts.nodeIPs ?? []).map((ip) => (ip.includes(':') ? '::1' : '127.0.0.1'));
    if (servers.length === 0) servers = ['127.0.0.1'];
    searches = ['.'];
  }
  const extra = podSpecOf(pod).dnsConfig;
  if (extra) {
    servers = unique([...servers, ...(extra.nameservers ?? [])]);
    searches = unique([...searches, ...(extra.searches ?? [])]);
    options = mergeOptions(options, extra.options ?? []);
  }
  return { servers: servers.slice(0, MAX_DNS_NAMESERVERS), searches: fitSearches(searches), options };
}
