/**
 * Release resources on the cluster (pkg/action/validate.go, pkg/kube/client.go Update/Delete):
 * helm's ownership metadata on every object, the adoption check for objects that already exist,
 * the upgrade sweep (create what is new, patch what changed, delete what left the chart unless
 * `helm.sh/resource-policy: keep`), and deletion in uninstall order.
 */
import { UNINSTALL_ORDER, sortByKind } from '../manifests.js';
import type { ActionConfig } from './config.js';
import { objectMeta, resourceId, sameResource, type KubeObject, type Resource } from './kube.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
export const RESOURCE_POLICY = 'helm.sh/resource-policy';

function stringMap(v: unknown): Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
}

/** setMetadataVisitor: the managed-by label and release annotations helm adds to each object. */
export function setOwnership(resources: Resource[], name: string, namespace: string): void {
  for (const r of resources) {
    const meta = objectMeta(r.object);
    meta.labels = { ...stringMap(meta.labels), [MANAGED_BY]: 'Helm' };
    meta.annotations = { ...stringMap(meta.annotations), [RELEASE_NAME_ANNOTATION]: name, [RELEASE_NAMESPACE_ANNOTATION]: namespace };
  }
}

/** checkOwnership: why a live object cannot be adopted by the release, or undefined. */
export function ownershipProblem(live: KubeObject, name: string, namespace: string): string | undefined {
  const meta = objectMeta(live);
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  const errs: string[] = [];
  const check = (kind: string, m: Record<string, string>, key: string, want: string) => {
    if (!(key in m)) errs.push(`${kind} validation error: missing key ${JSON.stringify(key)}: must be set to ${JSON.stringify(want)}`);
    else if (m[key] !== want) errs.push(`${kind} validation error: key ${JSON.stringify(key)} must equal ${JSON.stringify(want)}: current value is ${JSON.stringify(m[key])}`);
  };
  check('label', labels, MANAGED_BY, 'Helm');
  check('annotation', annotations, RELEASE_NAME_ANNOTATION, name);
  check('annotation', annotations, RELEASE_NAMESPACE_ANNOTATION, namespace);
  return errs.length > 0 ? `invalid ownership metadata; ${errs.join('; ')}` : undefined;
}

/** existingResourceConflict: the resources that exist already (and may be adopted); throws on foreign ones. */
export async function existingResources(cfg: ActionConfig, resources: Resource[], name: string, namespace: string, takeOwnership: boolean, verb: string): Promise<Resource[]> {
  const existing: Resource[] = [];
  for (const r of resources) {
    const live = await cfg.kube.get(r);
    if (!live) continue;
    const problem = takeOwnership ? undefined : ownershipProblem(live, name, namespace);
    if (problem) throw new Error(`rendered manifests contain a resource that already exists. Unable to continue with ${verb}: ${r.kind} ${JSON.stringify(r.name)} in namespace ${JSON.stringify(r.namespace)} exists and cannot be imported into the current release: ${problem}`);
    existing.push(r);
  }
  return existing;
}

export interface UpdateResult { created: Resource[]; updated: Resource[]; deleted: Resource[] }

/** kube Client.Update: converge the cluster from `original` to `target`. */
export async function updateResources(cfg: ActionConfig, original: Resource[], target: Resource[], force: boolean): Promise<UpdateResult> {
  const result: UpdateResult = { created: [], updated: [], deleted: [] };
  for (const t of target) {
    const live = await cfg.kube.get(t);
    if (!live) {
      await cfg.kube.create(t);
      result.created.push(t);
      continue;
    }
    const before = original.find((o) => sameResource(o, t));
    await cfg.kube.update(before?.object ?? live, t, live, force);
    result.updated.push(t);
  }
  for (const o of original) {
    if (target.some((t) => sameResource(o, t))) continue;
    const live = await cfg.kube.get(o);
    if (!live) continue;
    if (stringMap(objectMeta(live).annotations)[RESOURCE_POLICY] === 'keep') {
      cfg.log(`Skipping delete of ${resourceId(o)} due to annotation [${RESOURCE_POLICY}=keep]`);
      continue;
    }
    cfg.log(`Deleting ${resourceId(o)}...`);
    if (await cfg.kube.delete(o)) result.deleted.push(o);
  }
  return result;
}

/** Uninstall's deletion: uninstall order, objects annotated keep are left (and returned as kept). */
export async function deleteResources(cfg: ActionConfig, resources: Resource[], propagation: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<{ kept: Resource[]; errors: string[] }> {
  const kept: Resource[] = [];
  const errors: string[] = [];
  for (const r of sortByKind(resources, (x) => x.kind, UNINSTALL_ORDER)) {
    if (stringMap(objectMeta(r.object).annotations)[RESOURCE_POLICY] === 'keep') { kept.push(r); continue; }
    try {
      if (!(await cfg.kube.delete(r, propagation))) cfg.log(`Ignoring delete failure for ${resourceId(r)}: not found`);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { kept, errors };
}
