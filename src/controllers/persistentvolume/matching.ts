/**
 * Which PersistentVolume a claim should bind to (upstream FindMatchingVolume in
 * component-helpers/storage/volume/pv_helpers.go). Pure functions over informer contents.
 *
 * A volume pre-bound to the claim (claimRef namespace/name, uid empty or the claim's) wins when it is
 * big enough and of the claim's class. Otherwise the smallest volume that is Available, unclaimed, not
 * being deleted, of the same class ("" = no class), volumeMode (default Filesystem), offering every
 * requested access mode, matching the claim's label selector, with enough capacity, and (when a node is
 * given) whose nodeAffinity admits the node. Claims with delayed binding and no node only match
 * pre-bound volumes: the scheduler picks their volume.
 */
import { compareQuantities, parseQuantity, type Quantity } from '../../machinery/quantity.js';
import { matches, selectorFromLabelSelector } from '../../machinery/labels.js';
import { nodeSelectorMatches } from '../../scheduler/plugins/node-affinity/index.js';
import type { Node } from '../../scheduler/types.js';
import { claimClass, volumeClass, volumeMode, type PersistentVolume, type PersistentVolumeClaim } from './types.js';

const zero = parseQuantity('0');
const storageOf = (list: Record<string, string> | undefined): Quantity => {
  const s = list?.storage;
  if (!s) return zero;
  try {
    return parseQuantity(s);
  } catch {
    return zero;
  }
};
export const requestedStorage = (pvc: PersistentVolumeClaim): Quantity => storageOf(pvc.spec?.resources?.requests);
export const volumeStorage = (pv: PersistentVolume): Quantity => storageOf(pv.spec?.capacity);

/** The volume's claimRef names this claim (and, when it carries a uid, this incarnation of it). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || (ref.namespace ?? '') !== (pvc.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

export function accessModesSatisfied(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every((m) => offered.has(m));
}

export const volumeFitsNode = (pv: PersistentVolume, node: Node): boolean => !pv.spec?.nodeAffinity?.required || nodeSelectorMatches(pv.spec.nodeAffinity.required, node);

export interface MatchOptions {
  /** The claim's class binds late (WaitForFirstConsumer). */
  delayBinding?: boolean;
  /** The node the scheduler selected (delayed binding): volumes must fit it. */
  node?: Node;
}

export function findBestMatch(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], opts: MatchOptions = {}): PersistentVolume | undefined {
  const want = requestedStorage(pvc);
  const cls = claimClass(pvc);
  const mode = volumeMode(pvc.spec?.volumeMode);
  const selector = pvc.spec?.selector ? selectorFromLabelSelector(pvc.spec.selector) : undefined;
  let best: PersistentVolume | undefined;
  for (const pv of volumes) {
    if (pv.metadata?.deletionTimestamp) continue;
    if (volumeMode(pv.spec?.volumeMode) !== mode) continue;
    if (opts.node && !volumeFitsNode(pv, opts.node)) continue;
    const size = volumeStorage(pv);
    if (isVolumeBoundToClaim(pv, pvc)) {
      if (compareQuantities(size, want) >= 0 && volumeClass(pv) === cls) return pv;
      continue;
    }
    if (opts.delayBinding && !opts.node) continue;
    if (pv.spec?.claimRef) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (volumeClass(pv) !== cls) continue;
    if (selector && !matches(selector, pv.metadata?.labels)) continue;
    if (!accessModesSatisfied(pv, pvc)) continue;
    if (compareQuantities(size, want) < 0) continue;
    if (!best || compareQuantities(size, volumeStorage(best)) < 0) best = pv;
  }
  return best;
}
