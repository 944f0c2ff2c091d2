/**
 * Printers for core/v1 kinds other than Pod and the workload kinds: Service, Endpoints, ConfigMap,
 * Secret, Namespace, Node, Event (core/v1 and events.k8s.io/v1), ServiceAccount, PersistentVolume,
 * PersistentVolumeClaim, ResourceQuota. Columns and cells as upstream's printers.go (Wide=true).
 */
import type { KubeObject } from '../../api/types.js';
import { ageColumn, col, nameColumn, type Cell, type Printer } from './types.js';
import { accessModes, arr, at, formatLabels, has, int, joinHostPort, name, objectAge, quantity, rec, recs, since, str, timeOf, type Json } from './format.js';

/** loadBalancerStatusStringer with wide=true (the server always prints wide): sorted unique IPs/hostnames. */
export function loadBalancerAddresses(lb: unknown): string {
  const set = new Set<string>();
  for (const ing of recs(at(lb, 'ingress'))) {
    if (str(ing.ip) !== '') set.add(str(ing.ip));
    else if (str(ing.hostname) !== '') set.add(str(ing.hostname));
  }
  return [...set].sort().join(',');
}

function serviceExternalIP(svc: KubeObject): string {
  const spec = rec(svc.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(at(svc, 'status', 'loadBalancer'));
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: Json[]): string {
  return ports.map((p) => (int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol)}` : `${int(p.port)}/${str(p.protocol)}`)).join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', { model: 'V1ServiceSpec', field: 'type' }),
    col('Cluster-IP', 'string', { model: 'V1ServiceSpec', field: 'clusterIP' }),
    col('External-IP', 'string', { model: 'V1ServiceSpec', field: 'externalIPs' }),
    col('Port(s)', 'string', { model: 'V1ServiceSpec', field: 'ports' }),
    ageColumn,
    col('Selector', 'string', { model: 'V1ServiceSpec', field: 'selector' }, 1),
  ],
  cells(svc, now) {
    const spec = rec(svc.spec);
    const clusterIPs = arr(spec.clusterIPs).map(str);
    const ports = servicePorts(recs(spec.ports));
    return [name(svc), str(spec.type), clusterIPs[0] ?? '<none>', serviceExternalIP(svc), ports || '<none>', objectAge(svc, now), formatLabels(spec.selector)];
  },
};

/** formatEndpoints(endpoints, nil): up to 3 `ip:port`, then " + N more...". */
function formatEndpoints(obj: KubeObject): string {
  const subsets = recs(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = recs(ss.addresses);
    const ports = recs(ss.ports);
    const targets = ports.length === 0 ? [undefined] : ports;
    for (const port of targets) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(port === undefined ? str(addr.ip) : joinHostPort(str(addr.ip), int(port.port)));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, col('Endpoints', 'string', { model: 'V1Endpoints', field: 'subsets' }), ageColumn],
  cells: (obj, now) => [name(obj), formatEndpoints(obj), objectAge(obj, now)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, col('Data', 'string', { model: 'V1ConfigMap', field: 'data' }), ageColumn],
  cells: (obj, now) => [name(obj), Object.keys(rec(obj.data)).length + Object.keys(rec(obj.binaryData)).length, objectAge(obj, now)],
};

export const secretPrinter: Printer = {
  columns: [nameColumn, col('Type', 'string', { model: 'V1Secret', field: 'type' }), col('Data', 'string', { model: 'V1Secret', field: 'data' }), ageColumn],
  cells: (obj, now) => [name(obj), str(obj.type), Object.keys(rec(obj.data)).length, objectAge(obj, now)],
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, col('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (obj, now) => [name(obj), str(at(obj, 'status', 'phase')), objectAge(obj, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, col('Secrets', 'string', { model: 'V1ServiceAccount', field: 'secrets' }), ageColumn],
  cells: (obj, now) => [name(obj), arr(obj.secrets).length, objectAge(obj, now)],
};

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeStatus(node: KubeObject): string {
  const status: string[] = [];
  const ready = recs(at(node, 'status', 'conditions')).filter((c) => c.type === 'Ready').pop();
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

const nodeAddress = (node: KubeObject, type: string): string => str(recs(at(node, 'status', 'addresses')).find((a) => a.type === type)?.address) || '<none>';

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn,
    col('Version', 'string', { model: 'V1NodeSystemInfo', field: 'kubeletVersion' }),
    col('Internal-IP', 'string', { model: 'V1NodeStatus', field: 'addresses' }, 1),
    col('External-IP', 'string', { model: 'V1NodeStatus', field: 'addresses' }, 1),
    col('OS-Image', 'string', { model: 'V1NodeSystemInfo', field: 'osImage' }, 1),
    col('Kernel-Version', 'string', { model: 'V1NodeSystemInfo', field: 'kernelVersion' }, 1),
    col('Container-Runtime', 'string', { model: 'V1NodeSystemInfo', field: 'containerRuntimeVersion' }, 1),
  ],
  cells(node, now) {
    const info = rec(at(node, 'status', 'nodeInfo'));
    return [
      name(node), nodeStatus(node), nodeRoles(node), objectAge(node, now), str(info.kubeletVersion), nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>', str(info.kernelVersion) || '<unknown>', str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

/** The core/v1 view of an event: events.k8s.io/v1 objects are read through upstream's field mapping. */
function coreEventView(obj: KubeObject): Json {
  if (!String(obj.apiVersion ?? '').startsWith('events.k8s.io/')) return obj;
  return {
    ...obj,
    involvedObject: obj.regarding,
    message: obj.note,
    firstTimestamp: obj.deprecatedFirstTimestamp,
    lastTimestamp: obj.deprecatedLastTimestamp,
    count: obj.deprecatedCount,
    source: obj.deprecatedSource,
  };
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', { model: 'CoreV1Event', field: 'lastTimestamp' }),
    col('Type', 'string', { model: 'CoreV1Event', field: 'type' }),
    col('Reason', 'string', { model: 'CoreV1Event', field: 'reason' }),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', { model: 'V1ObjectReference', field: 'fieldPath' }, 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', { model: 'CoreV1Event', field: 'message' }),
    col('First Seen', 'string', { model: 'CoreV1Event', field: 'firstTimestamp' }, 1),
    col('Count', 'string', { model: 'CoreV1Event', field: 'count' }, 1),
    { ...nameColumn, priority: 1 },
  ],
  cells(obj, now): Cell[] {
    const ev = coreEventView(obj);
    const first = timeOf(ev.firstTimestamp) !== undefined ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
    let last = timeOf(ev.lastTimestamp) !== undefined ? since(ev.lastTimestamp, now) : first;
    let count = int(ev.count);
    if (has(ev.series)) {
      last = since(at(ev.series, 'lastObservedTime'), now);
      count = int(at(ev.series, 'count'));
    } else if (count === 0) count = 1;
    const involved = rec(ev.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) !== '' ? `${kind}/${str(involved.name)}` : kind;
    const component = str(at(ev, 'source', 'component')) || str(ev.reportingController);
    const host = str(at(ev, 'source', 'host')) || str(ev.reportingInstance);
    const source = host === '' ? component : `${component}, ${host}`;
    return [last, str(ev.type), str(ev.reason), target, str(involved.fieldPath), source, str(ev.message).trim(), first, count, name(obj)];
  },
};

const storageClassOf = (obj: KubeObject): string =>
  obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(at(obj, 'spec', 'storageClassName'));

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    col('Capacity', 'string', { model: 'V1PersistentVolumeSpec', field: 'capacity' }),
    col('Access Modes', 'string', { model: 'V1PersistentVolumeSpec', field: 'accessModes' }),
    col('Reclaim Policy', 'string', { model: 'V1PersistentVolumeSpec', field: 'persistentVolumeReclaimPolicy' }),
    col('Status', 'string', { model: 'V1PersistentVolumeStatus', field: 'phase' }),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', { model: 'V1PersistentVolumeStatus', field: 'reason' }),
    ageColumn,
    col('VolumeMode', 'string', { model: 'V1PersistentVolumeSpec', field: 'volumeMode' }, 1),
  ],
  cells(pv, now) {
    const spec = rec(pv.spec);
    const claimRef = has(spec.claimRef) ? `${str(at(spec, 'claimRef', 'namespace'))}/${str(at(spec, 'claimRef', 'name'))}` : '';
    const phase = has(pv.metadata?.deletionTimestamp) ? 'Terminating' : str(at(pv, 'status', 'phase'));
    return [
      name(pv), quantity(at(spec, 'capacity', 'storage')), accessModes(spec.accessModes), str(spec.persistentVolumeReclaimPolicy), phase, claimRef, storageClassOf(pv),
      has(spec.volumeAttributesClassName) ? str(spec.volumeAttributesClassName) : '<unset>', str(at(pv, 'status', 'reason')), objectAge(pv, now),
      has(spec.volumeMode) ? str(spec.volumeMode) : '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', { model: 'V1PersistentVolumeClaimStatus', field: 'phase' }),
    col('Volume', 'string', { model: 'V1PersistentVolumeClaimSpec', field: 'volumeName' }),
    col('Capacity', 'string', { model: 'V1PersistentVolumeClaimStatus', field: 'capacity' }),
    col('Access Modes', 'string', { model: 'V1PersistentVolumeClaimStatus', field: 'accessModes' }),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    col('VolumeMode', 'string', { model: 'V1PersistentVolumeClaimSpec', field: 'volumeMode' }, 1),
  ],
  cells(pvc, now) {
    const spec = rec(pvc.spec);
    const phase = has(pvc.metadata?.deletionTimestamp) ? 'Terminating' : str(at(pvc, 'status', 'phase'));
    const bound = str(spec.volumeName) !== '';
    return [
      name(pvc), phase, str(spec.volumeName), bound ? quantity(at(pvc, 'status', 'capacity', 'storage')) : '', bound ? accessModes(at(pvc, 'status', 'accessModes')) : '',
      storageClassOf(pvc), has(spec.volumeAttributesClassName) ? str(spec.volumeAttributesClassName) : '<unset>', objectAge(pvc, now),
      has(spec.volumeMode) ? str(spec.volumeMode) : '<unset>',
    ];
  },
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn,
  ],
  cells(obj, now) {
    const hard = rec(at(obj, 'status', 'hard'));
    const used = rec(at(obj, 'status', 'used'));
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const pieces = resource.split('.');
      const text = `${resource}: ${quantity(used[resource])}/${quantity(hard[resource])}`;
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
    }
    return [name(obj), requests.join(', '), limits.join(', '), objectAge(obj, now)];
  },
};
