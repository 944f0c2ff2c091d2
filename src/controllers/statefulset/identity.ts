/**
 * StatefulSet pod identity (upstream stateful_set_utils.go): pod `<set>-<ordinal>` with the pod-name and
 * pod-index labels, hostname and subdomain (serviceName), the revision label, and one PVC volume per
 * claim template named `<claim>-<set>-<ordinal>`.
 */
import { podFromTemplate } from '../common/pods.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../common/revisions.js';
import { controllerRefTo } from '../replicaset/index.js';
import { POD_INDEX_LABEL, POD_NAME_LABEL, type Pod, type PodTemplateSpec, type StatefulSet } from './types.js';

export const podName = (set: StatefulSet, ordinal: number) => `${set.metadata.name}-${ordinal}`;
export const claimName = (claim: string, set: StatefulSet, ordinal: number) => `${claim}-${set.metadata.name}-${ordinal}`;

/** The ordinal in `<set>-<n>`, or -1 when the name does not belong to the set. */
export function ordinalOf(set: StatefulSet, pod: Pod): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

/** The revision a pod was created from: the ControllerRevision name in its controller-revision-hash label. */
export const revisionOfPod = (pod: Pod): string | undefined => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** The pod for `ordinal` built from `template`, labelled with `revisionName`. */
export function newStatefulPod(set: StatefulSet, template: PodTemplateSpec, ordinal: number, revisionName: string): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, controllerRefTo({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: set.metadata }), set.metadata.namespace ?? 'default', {
    name,
    labels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revisionName },
  });
  const spec = pod.spec as { hostname?: string; subdomain?: string; volumes?: Array<{ name: string; [k: string]: unknown }> };
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = set.spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const vols = (spec.volumes ?? []).filter((v) => !claims.some((c) => c.metadata.name === v.name));
    for (const c of claims) vols.push({ name: c.metadata.name ?? '', persistentVolumeClaim: { claimName: claimName(c.metadata.name ?? '', set, ordinal) } });
    spec.volumes = vols;
  }
  return pod;
}
