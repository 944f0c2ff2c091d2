/**
 * Printers for the networking, policy, storage, coordination, discovery, scheduling and RBAC kinds:
 * Ingress, IngressClass, NetworkPolicy, PodDisruptionBudget, StorageClass, Lease, EndpointSlice,
 * PriorityClass, RoleBinding, ClusterRoleBinding. Columns and cells as upstream's printers.go (Wide=true).
 */
import type { KubeObject } from '../../api/types.js';
import { ageColumn, col, nameColumn, type Printer } from './types.js';
import { loadBalancerAddresses } from './core.js';
import { arr, at, formatLabelSelector, has, intOrString, listWithMore, name, objectAge, rec, recs, str } from './format.js';

function ingressHosts(rules: Record<string, unknown>[]): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && str(rule.host) !== '') list.push(str(rule.host));
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const className = has(spec.ingressClassName) ? str(spec.ingressClassName) : '<none>';
    const ports = arr(spec.tls).length > 0 ? '80, 443' : '80';
    return [name(obj), className, ingressHosts(recs(spec.rules)), loadBalancerAddresses(at(obj, 'status', 'loadBalancer')), ports, objectAge(obj, now)];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    let parameters = '<none>';
    if (has(spec.parameters)) {
      const p = rec(spec.parameters);
      parameters = `${str(p.kind)}${has(p.apiGroup) ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}`;
    }
    return [name(obj), str(spec.controller), parameters, objectAge(obj, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [nameColumn, col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.'), ageColumn],
  cells: (obj, now) => [name(obj), formatLabelSelector(rec(at(obj, 'spec', 'podSelector'))), objectAge(obj, now)],
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const minAvailable = has(spec.minAvailable) ? intOrString(spec.minAvailable) : 'N/A';
    const maxUnavailable = has(spec.maxUnavailable) ? intOrString(spec.maxUnavailable) : 'N/A';
    return [name(obj), minAvailable, maxUnavailable, Math.trunc(Number(at(obj, 'status', 'disruptionsAllowed') ?? 0)) || 0, objectAge(obj, now)];
  },
};

const isDefaultClass = (obj: KubeObject): boolean => {
  const a = obj.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Provisioner', 'string', { model: 'V1StorageClass', field: 'provisioner' }),
    col('ReclaimPolicy', 'string', { model: 'V1StorageClass', field: 'reclaimPolicy' }),
    col('VolumeBindingMode', 'string', { model: 'V1StorageClass', field: 'volumeBindingMode' }),
    col('AllowVolumeExpansion', 'string', { model: 'V1StorageClass', field: 'allowVolumeExpansion' }),
    ageColumn,
  ],
  cells(obj, now) {
    const displayName = isDefaultClass(obj) ? `${name(obj)} (default)` : name(obj);
    return [
      displayName, str(obj.provisioner), has(obj.reclaimPolicy) ? str(obj.reclaimPolicy) : 'Delete', has(obj.volumeBindingMode) ? str(obj.volumeBindingMode) : 'Immediate',
      obj.allowVolumeExpansion === true, objectAge(obj, now),
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, col('Holder', 'string', { model: 'V1LeaseSpec', field: 'holderIdentity' }), ageColumn],
  cells: (obj, now) => [name(obj), str(at(obj, 'spec', 'holderIdentity')), objectAge(obj, now)],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    col('AddressType', 'string', { model: 'V1EndpointSlice', field: 'addressType' }),
    col('Ports', 'string', { model: 'V1EndpointSlice', field: 'ports' }),
    col('Endpoints', 'string', { model: 'V1EndpointSlice', field: 'endpoints' }),
    ageColumn,
  ],
  cells(obj, now) {
    const ports = recs(obj.ports).map((p) => (has(p.port) ? String(p.port) : has(p.name) ? str(p.name) : '*'));
    const addresses = recs(obj.endpoints).flatMap((e) => arr(e.addresses).map(str));
    return [name(obj), str(obj.addressType), listWithMore(ports, ports.length, 3), listWithMore(addresses, addresses.length, 3), objectAge(obj, now)];
  },
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Value', 'integer', { model: 'V1PriorityClass', field: 'value' }),
    col('Global-Default', 'boolean', { model: 'V1PriorityClass', field: 'globalDefault' }),
    ageColumn,
    col('PreemptionPolicy', 'string', { model: 'V1PriorityClass', field: 'preemptionPolicy' }, 1),
  ],
  cells: (obj, now) => [name(obj), Math.trunc(Number(obj.value ?? 0)) || 0, obj.globalDefault === true, objectAge(obj, now), str(obj.preemptionPolicy)],
};

/** rbac.SubjectsStrings: users, groups, and namespace/name service accounts. */
function subjects(obj: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of recs(obj.subjects)) {
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

const ROLE_REF: Record<string, string> = {
  roleBinding: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  clusterRoleBinding: 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
};

const bindingPrinter = (kind: 'roleBinding' | 'clusterRoleBinding'): Printer => ({
  columns: [
    nameColumn,
    col('Role', 'string', ROLE_REF[kind]!),
    ageColumn,
    col('Users', 'string', `Users in the ${kind}`, 1),
    col('Groups', 'string', `Groups in the ${kind}`, 1),
    col('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, 1),
  ],
  cells(obj, now) {
    const ref = rec(obj.roleRef);
    return [name(obj), `${str(ref.kind)}/${str(ref.name)}`, objectAge(obj, now), ...subjects(obj)];
  },
});

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
