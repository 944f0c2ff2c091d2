/**
 * `kubectl get` columns of the core/v1 kinds other than Pod, as upstream's printers
 * (pkg/printers/internalversion/printers.go) fill them; descriptions come from the schema docs.
 */
import { ageColumn, fieldDoc, formatLabels, joinLimited, nameColumn } from '../../table.js';
import type { KubeObject, TableColumn } from '../../types.js';
import { asArray, asObj, asString, type Obj } from './validation-helpers.js';

type Cell = string | number | boolean;
const col = (name: string, description: string, cell: (o: KubeObject, now: number) => Cell, extra: Partial<TableColumn> = {}): TableColumn => ({
  name, type: 'string', description, cell, ...extra,
});
const specOf = (o: KubeObject): Obj => asObj(o.spec) ?? {};
const statusOf = (o: KubeObject): Obj => asObj(o.status) ?? {};
const count = (v: unknown): number => Object.keys(asObj(v) ?? {}).length;

function servicePorts(o: KubeObject): string {
  const ports = asArray(specOf(o).ports).map((p) => asObj(p) ?? {});
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (Number(p.nodePort ?? 0) > 0 ? `${String(p.port)}:${String(p.nodePort)}/${asString(p.protocol)}` : `${String(p.port)}/${asString(p.protocol)}`)).join(',');
}

function serviceExternalIP(o: KubeObject): string {
  const spec = specOf(o);
  const external = asArray(spec.externalIPs).map(asString);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = asArray(asObj(statusOf(o).loadBalancer)?.ingress).map((i) => asString(asObj(i)?.ip) || asString(asObj(i)?.hostname)).filter(Boolean);
      const all = [...ingress, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return asString(spec.externalName);
    default:
      return '<unknown>';
  }
}

export function serviceColumns(): TableColumn[] {
  const doc = (f: string): string => fieldDoc('V1ServiceSpec', f);
  return [
    nameColumn(),
    col('Type', doc('type'), (o) => asString(specOf(o).type)),
    col('Cluster-IP', doc('clusterIP'), (o) => asString(asArray(specOf(o).clusterIPs)[0]) || '<none>'),
    col('External-IP', doc('externalIPs'), serviceExternalIP),
    col('Port(s)', doc('ports'), servicePorts),
    ageColumn(),
    col('Selector', doc('selector'), (o) => formatLabels(specOf(o).selector), { priority: 1 }),
  ];
}

export function namespaceColumns(): TableColumn[] {
  return [nameColumn(), col('Status', 'The status of the namespace', (o) => asString(statusOf(o).phase)), ageColumn()];
}

function nodeStatus(o: KubeObject): string {
  const ready = asArray(statusOf(o).conditions).map((c) => asObj(c) ?? {}).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (specOf(o).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodeAddress = (type: string) => (o: KubeObject): string =>
  asString(asArray(statusOf(o).addresses).map((a) => asObj(a) ?? {}).find((a) => a.type === type)?.address) || '<none>';
const nodeInfo = (field: string) => (o: KubeObject): string => asString(asObj(statusOf(o).nodeInfo)?.[field]);

export function nodeColumns(): TableColumn[] {
  const info = (f: string): string => fieldDoc('V1NodeSystemInfo', f);
  return [
    nameColumn(),
    col('Status', 'The status of the node', nodeStatus),
    col('Roles', 'The roles of the node', nodeRoles),
    ageColumn(),
    col('Version', info('kubeletVersion'), nodeInfo('kubeletVersion')),
    col('Internal-IP', fieldDoc('V1NodeStatus', 'addresses'), nodeAddress('InternalIP'), { priority: 1 }),
    col('External-IP', fieldDoc('V1NodeStatus', 'addresses'), nodeAddress('ExternalIP'), { priority: 1 }),
    col('OS-Image', info('osImage'), nodeInfo('osImage'), { priority: 1 }),
    col('Kernel-Version', info('kernelVersion'), nodeInfo('kernelVersion'), { priority: 1 }),
    col('Container-Runtime', info('containerRuntimeVersion'), nodeInfo('containerRuntimeVersion'), { priority: 1 }),
  ];
}

export function configMapColumns(): TableColumn[] {
  return [nameColumn(), col('Data', fieldDoc('V1ConfigMap', 'data'), (o) => count(o.data) + count(o.binaryData), { type: 'integer' }), ageColumn()];
}

export function secretColumns(): TableColumn[] {
  return [
    nameColumn(),
    col('Type', fieldDoc('V1Secret', 'type'), (o) => asString(o.type)),
    col('Data', fieldDoc('V1Secret', 'data'), (o) => count(o.data), { type: 'integer' }),
    ageColumn(),
  ];
}

export function serviceAccountColumns(): TableColumn[] {
  return [nameColumn(), col('Secrets', fieldDoc('V1ServiceAccount', 'secrets'), (o) => asArray(o.secrets).length, { type: 'integer' }), ageColumn()];
}

function formatEndpoints(o: KubeObject): string {
  const subsets = asArray(o.subsets).map((s) => asObj(s) ?? {});
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  for (const ss of subsets) {
    const ips = asArray(ss.addresses).map((a) => asString(asObj(a)?.ip));
    const ports = asArray(ss.ports).map((p) => asObj(p) ?? {});
    if (ports.length === 0) list.push(...ips);
    for (const p of ports) for (const ip of ips) list.push(ip.includes(':') ? `[${ip}]:${String(p.port)}` : `${ip}:${String(p.port)}`);
  }
  return joinLimited(list);
}

export function endpointsColumns(): TableColumn[] {
  return [nameColumn(), col('Endpoints', fieldDoc('V1Endpoints', 'subsets'), formatEndpoints), ageColumn()];
}

const ACCESS_MODE_SHORT: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
function accessModes(modes: unknown): string {
  const list = asArray(modes);
  return ACCESS_MODE_SHORT.filter(([m]) => list.includes(m)).map(([, s]) => s).join(',');
}
const deletingPhase = (o: KubeObject): string => (o.metadata?.deletionTimestamp ? 'Terminating' : asString(statusOf(o).phase));
const unset = (v: unknown): string => asString(v) || '<unset>';

export function persistentVolumeColumns(): TableColumn[] {
  const doc = (f: string): string => fieldDoc('V1PersistentVolumeSpec', f);
  return [
    nameColumn(),
    col('Capacity', doc('capacity'), (o) => asString(asObj(specOf(o).capacity)?.storage) || '0'),
    col('Access Modes', doc('accessModes'), (o) => accessModes(specOf(o).accessModes)),
    col('Reclaim Policy', doc('persistentVolumeReclaimPolicy'), (o) => asString(specOf(o).persistentVolumeReclaimPolicy)),
    col('Status', fieldDoc('V1PersistentVolumeStatus', 'phase'), deletingPhase),
    col('Claim', doc('claimRef'), (o) => {
      const ref = asObj(specOf(o).claimRef);
      return ref ? `${asString(ref.namespace)}/${asString(ref.name)}` : '';
    }),
    col('StorageClass', doc('storageClassName'), (o) => asString(specOf(o).storageClassName)),
    col('VolumeAttributesClass', doc('volumeAttributesClassName'), (o) => unset(specOf(o).volumeAttributesClassName)),
    col('Reason', fieldDoc('V1PersistentVolumeStatus', 'reason'), (o) => asString(statusOf(o).reason)),
    ageColumn(),
    col('VolumeMode', doc('volumeMode'), (o) => unset(specOf(o).volumeMode), { priority: 1 }),
  ];
}

export function persistentVolumeClaimColumns(): TableColumn[] {
  const doc = (f: string): string => fieldDoc('V1PersistentVolumeClaimSpec', f);
  const bound = (o: KubeObject): boolean => asString(specOf(o).volumeName) !== '';
  return [
    nameColumn(),
    col('Status', fieldDoc('V1PersistentVolumeClaimStatus', 'phase'), deletingPhase),
    col('Volume', doc('volumeName'), (o) => asString(specOf(o).volumeName)),
    col('Capacity', fieldDoc('V1PersistentVolumeClaimStatus', 'capacity'), (o) => (bound(o) ? asString(asObj(statusOf(o).capacity)?.storage) || '0' : '')),
    col('Access Modes', doc('accessModes'), (o) => (bound(o) ? accessModes(statusOf(o).accessModes) : '')),
    col('StorageClass', doc('storageClassName'), (o) => asString(specOf(o).storageClassName)),
    col('VolumeAttributesClass', doc('volumeAttributesClassName'), (o) => unset(statusOf(o).currentVolumeAttributesClassName ?? specOf(o).volumeAttributesClassName)),
    ageColumn(),
    col('VolumeMode', doc('volumeMode'), (o) => unset(specOf(o).volumeMode), { priority: 1 }),
  ];
}

export function limitRangeColumns(): TableColumn[] {
  return [nameColumn(), col('Created At', fieldDoc('V1ObjectMeta', 'creationTimestamp'), (o) => asString(o.metadata?.creationTimestamp), { type: 'date' })];
}

function quotaColumn(limits: boolean) {
  return (o: KubeObject): string => {
    const hard = asObj(statusOf(o).hard) ?? {};
    const used = asObj(statusOf(o).used) ?? {};
    return Object.keys(hard)
      .sort()
      .filter((r) => (r.split('.')[0] === 'limits' && r.includes('.')) === limits)
      .map((r) => `${r}: ${asString(used[r]) || '0'}/${asString(hard[r])}`)
      .join(', ');
  };
}

export function resourceQuotaColumns(): TableColumn[] {
  return [nameColumn(), ageColumn(), col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.', quotaColumn(false)),
    col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', quotaColumn(true))];
}

function containerCells(podSpec: unknown): { names: string; images: string } {
  const containers = asArray(asObj(podSpec)?.containers).map((c) => asObj(c) ?? {});
  return { names: containers.map((c) => asString(c.name)).join(','), images: containers.map((c) => asString(c.image)).join(',') };
}

export function replicationControllerColumns(): TableColumn[] {
  const tplSpec = (o: KubeObject): unknown => asObj(specOf(o).template)?.spec;
  return [
    nameColumn(),
    col('Desired', fieldDoc('V1ReplicationControllerSpec', 'replicas'), (o) => Number(specOf(o).replicas ?? 0), { type: 'integer' }),
    col('Current', fieldDoc('V1ReplicationControllerStatus', 'replicas'), (o) => Number(statusOf(o).replicas ?? 0), { type: 'integer' }),
    col('Ready', fieldDoc('V1ReplicationControllerStatus', 'readyReplicas'), (o) => Number(statusOf(o).readyReplicas ?? 0), { type: 'integer' }),
    ageColumn(),
    col('Containers', 'Names of each container in the template.', (o) => containerCells(tplSpec(o)).names, { priority: 1 }),
    col('Images', 'Images referenced by each container in the template.', (o) => containerCells(tplSpec(o)).images, { priority: 1 }),
    col('Selector', fieldDoc('V1ReplicationControllerSpec', 'selector'), (o) => formatLabels(specOf(o).selector), { priority: 1 }),
  ];
}

export function podTemplateColumns(): TableColumn[] {
  const tpl = (o: KubeObject): Obj => asObj(o.template) ?? {};
  return [
    nameColumn(),
    col('Containers', 'Names of each container in the template.', (o) => containerCells(tpl(o).spec).names),
    col('Images', 'Images referenced by each container in the template.', (o) => containerCells(tpl(o).spec).images),
    col('Pod Labels', 'The labels for the pod template.', (o) => formatLabels(asObj(tpl(o).metadata)?.labels)),
  ];
}
