/**
 * VolumeBinding: a pod's PersistentVolumeClaims must exist; bound claims need their PV to exist
 * and its nodeAffinity to match the node; unbound claims of a WaitForFirstConsumer StorageClass
 * need, per node, an available matching PV (class, capacity, access modes, node affinity) or a
 * dynamic provisioner; unbound claims of an Immediate class keep the pod out until the PV
 * controller binds them. `planBindings` says what to write at bind time (PV claimRef for a
 * static match, the selected-node annotation for dynamic provisioning).
 */
import { SKIP, unresolvable, type ClusterSnapshot, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { parseResourceList } from '../../resources.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../types.js';
import { nodeSelectorMatches } from '../node-affinity/index.js';

export const NAME = 'VolumeBinding';
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_NO_PV = "node(s) didn't find available persistent volumes to bind";
export const ERR_PV_MISSING = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

interface Claims {
  bound: Array<{ pvc: PersistentVolumeClaim; pv: PersistentVolume | undefined }>;
  delayed: PersistentVolumeClaim[];
}

/** Sorts the pod's claims into bound and delayed-binding ones, or says why the pod cannot go anywhere. */
export function classifyClaims(snapshot: ClusterSnapshot, pod: Pod): Claims | string {
  const ns = pod.metadata?.namespace ?? '';
  const out: Claims = { bound: [], delayed: [] };
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata?.name}-${v.name}` : undefined);
    if (!claimName) continue;
    const pvc = snapshot.pvc(ns, claimName);
    if (!pvc) return `persistentvolumeclaim "${claimName}" not found`;
    if (pvc.metadata?.deletionTimestamp) return `persistentvolumeclaim "${claimName}" is being deleted`;
    const volumeName = pvc.spec?.volumeName;
    if (volumeName) {
      out.bound.push({ pvc, pv: snapshot.pv(volumeName) });
      continue;
    }
    const cls = snapshot.storageClass(pvc.spec?.storageClassName ?? '');
    if (cls?.volumeBindingMode === 'WaitForFirstConsumer') out.delayed.push(pvc);
    else return ERR_UNBOUND_IMMEDIATE;
  }
  return out;
}

const pvFitsNode = (pv: PersistentVolume, node: Node): boolean => !pv.spec?.nodeAffinity?.required || nodeSelectorMatches(pv.spec.nodeAffinity.required, node);

/** An available PV that could be bound to the claim on this node. */
export function findMatchingPV(snapshot: ClusterSnapshot, pvc: PersistentVolumeClaim, node: Node, taken: ReadonlySet<string> = new Set()): PersistentVolume | undefined {
  const want = parseResourceList(pvc.spec?.resources?.requests).storage ?? 0;
  const modes = pvc.spec?.accessModes ?? [];
  let best: PersistentVolume | undefined;
  for (const pv of snapshot.pvs()) {
    const name = pv.metadata?.name ?? '';
    if (taken.has(name) || pv.metadata?.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    if (ref && (ref.namespace !== pvc.metadata?.namespace || ref.name !== pvc.metadata?.name)) continue;
    if ((pv.spec?.storageClassName ?? '') !== (pvc.spec?.storageClassName ?? '')) continue;
    const size = parseResourceList(pv.spec?.capacity).storage ?? 0;
    if (size < want || !modes.every((m) => pv.spec?.accessModes?.includes(m)) || !pvFitsNode(pv, node)) continue;
    if (!best || size < (parseResourceList(best.spec?.capacity).storage ?? 0)) best = pv;
  }
  return best;
}

export type VolumePlan = Array<{ pvc: PersistentVolumeClaim; pv?: PersistentVolume }>;

/** For each delayed claim: the PV to bind, or none (dynamic provisioning). Undefined when some claim cannot be satisfied. */
export function planBindings(snapshot: ClusterSnapshot, claims: Claims, node: Node): VolumePlan | undefined {
  const taken = new Set<string>();
  const plan: VolumePlan = [];
  for (const pvc of claims.delayed) {
    const pv = findMatchingPV(snapshot, pvc, node, taken);
    if (pv) {
      taken.add(pv.metadata?.name ?? '');
      plan.push({ pvc, pv });
      continue;
    }
    const cls = snapshot.storageClass(pvc.spec?.storageClassName ?? '');
    if (!cls?.provisioner || cls.provisioner === NO_PROVISIONER) return undefined;
    plan.push({ pvc });
  }
  return plan;
}

export function filterVolumes(snapshot: ClusterSnapshot, claims: Claims, node: NodeInfo): Result {
  if (!node.node) return unresolvable(ERR_NODE_CONFLICT);
  for (const { pv } of claims.bound) {
    if (!pv) return unresolvable(ERR_PV_MISSING);
    if (!pvFitsNode(pv, node.node)) return unresolvable(ERR_NODE_CONFLICT);
  }
  if (claims.delayed.length && !planBindings(snapshot, claims, node.node)) return unresolvable(ERR_NO_PV);
  return undefined;
}

export const volumeBinding: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    ctx.state.set(NAME, undefined);
    if (!pod.spec?.volumes?.some((v) => v.persistentVolumeClaim || v.ephemeral)) return SKIP;
    const claims = classifyClaims(ctx.snapshot, pod);
    if (typeof claims === 'string') return unresolvable(claims);
    if (!claims.bound.length && !claims.delayed.length) return SKIP;
    ctx.state.set(NAME, claims);
    return undefined;
  },
  filter(ctx, _pod, node) {
    const claims = ctx.state.get(NAME) as Claims | undefined;
    return claims ? filterVolumes(ctx.snapshot, claims, node) : undefined;
  },
};
