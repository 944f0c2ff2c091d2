/**
 * Service link environment variables (upstream pkg/kubelet/envvars FromServices and the kubelet's
 * getServiceEnvVarMap): for the `kubernetes` Service of the default namespace always, and for every
 * Service of the pod's namespace when enableServiceLinks is not false, each with a cluster IP:
 * `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORTNAME>` and the Docker-style
 * `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}`. NAME is the Service name
 * upper-cased with `-` as `_`. The result feeds resolveEnv's `serviceEnv`.
 */
import type { KubeObject } from '../../api/types.js';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

interface ServiceView {
  name: string;
  namespace: string;
  clusterIP: string;
  ports: ServicePort[];
}

function viewOf(obj: KubeObject): ServiceView {
  const spec = (obj.spec ?? {}) as { clusterIP?: string; ports?: ServicePort[] };
  return { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? '', clusterIP: spec.clusterIP ?? '', ports: spec.ports ?? [] };
}

const envName = (s: string): string => s.replace(/-/g, '_').toUpperCase();
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The variables of one Service, in upstream's order (empty for headless or IP-less Services). */
export function serviceEnvVars(service: KubeObject): Array<{ key: string; value: string }> {
  const svc = viewOf(service);
  if (svc.clusterIP === '' || svc.clusterIP === 'None' || svc.ports.length === 0) return [];
  const prefix = envName(svc.name);
  const out = [
    { key: `${prefix}_SERVICE_HOST`, value: svc.clusterIP },
    { key: `${prefix}_SERVICE_PORT`, value: String(svc.ports[0]!.port) },
  ];
  for (const p of svc.ports) if (p.name) out.push({ key: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
  svc.ports.forEach((p, i) => {
    const protocol = (p.protocol || 'TCP').toUpperCase();
    const url = `${protocol.toLowerCase()}://${joinHostPort(svc.clusterIP, p.port)}`;
    if (i === 0) out.push({ key: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol}`;
    out.push(
      { key: portPrefix, value: url },
      { key: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { key: `${portPrefix}_PORT`, value: String(p.port) },
      { key: `${portPrefix}_ADDR`, value: svc.clusterIP },
    );
  });
  return out;
}

/**
 * The service variables a pod in `namespace` sees, from all Services the kubelet knows. A Service of
 * the pod's namespace wins over the default namespace's `kubernetes` Service of the same name.
 */
export function serviceEnvMap(services: KubeObject[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const chosen = new Map<string, KubeObject>();
  for (const s of services) {
    const v = viewOf(s);
    if (v.clusterIP === '' || v.clusterIP === 'None') continue;
    if (v.namespace === 'default' && v.name === 'kubernetes') {
      if (!chosen.has(v.name)) chosen.set(v.name, s);
    } else if (v.namespace === namespace && enableServiceLinks) {
      chosen.set(v.name, s);
    }
  }
  const out: Record<string, string> = {};
  for (const s of chosen.values()) for (const { key, value } of serviceEnvVars(s)) out[key] = value;
  return out;
}
