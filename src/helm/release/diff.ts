/**
 * `skiff helm diff upgrade` (beyond helm, like the helm-diff plugin): what an upgrade would change
 * on the cluster. The new revision is rendered exactly as upgrade renders it; each object's
 * outcome is asked from the API server with a dry-run (the three-way patch for existing objects, a
 * create for new ones), so defaulting, admission and immutable-field errors show before upgrading.
 * Objects leaving the chart (and not kept by resource policy) show as removed.
 *
 * Input: ActionConfig, UpgradeOptions. Output: one entry per changed object with a unified diff.
 */
import type { ActionConfig } from './config.js';
import { resourceId, sameResource, type KubeObject, type Resource } from './kube.js';
import { threeWayPatch } from './patch.js';
import { RESOURCE_POLICY, setOwnership } from './resources.js';
import { unifiedDiff } from './unified-diff.js';
import { prepareUpgrade, type UpgradeOptions } from './upgrade.js';
import { marshalYaml } from '../values/marshal.js';

export interface ObjectDiff { id: string; change: 'added' | 'modified' | 'removed' | 'error'; diff: string; error?: string }

/** The object as users compare it: no status, no server bookkeeping. */
function comparable(o: KubeObject | undefined): string {
  if (!o) return '';
  const c = structuredClone(o) as KubeObject;
  delete c.status;
  const meta = (c.metadata ?? {}) as Record<string, unknown>;
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp']) delete meta[k];
  return marshalYaml(c);
}

function label(r: Resource): string {
  return `${r.namespace ? `${r.namespace}/` : ''}${r.kind}/${r.name}`;
}

async function dryRun(cfg: ActionConfig, method: 'POST' | 'PATCH', path: string, body: unknown, type?: string): Promise<KubeObject> {
  const res = await cfg.rest.request<KubeObject & { message?: string }>(method, `${path}?dryRun=All`, body, type ? { 'Content-Type': type } : {});
  if (res.status >= 300) throw new Error(typeof res.body?.message === 'string' ? res.body.message : res.text.trim());
  return res.body;
}

export async function diffUpgrade(cfg: ActionConfig, o: UpgradeOptions): Promise<ObjectDiff[]> {
  const { current, upgraded } = await prepareUpgrade(cfg, o);
  const original = await cfg.kube.build(current.manifest);
  const target = await cfg.kube.build(upgraded.manifest);
  setOwnership(target, o.name, o.namespace);
  const out: ObjectDiff[] = [];
  for (const t of target) {
    const live = await cfg.kube.get(t);
    try {
      let predicted: KubeObject;
      if (!live) predicted = await dryRun(cfg, 'POST', t.collection, t.object);
      else {
        const before = original.find((x) => sameResource(x, t))?.object ?? live;
        const { patch, type } = threeWayPatch(before, t, live);
        predicted = Object.keys(patch).length === 0 ? live : await dryRun(cfg, 'PATCH', cfg.kube.url(t), patch, type);
      }
      const diff = unifiedDiff(comparable(live), comparable(predicted), `${label(t)} (live)`, `${label(t)} (upgrade)`);
      if (diff) out.push({ id: resourceId(t), change: live ? 'modified' : 'added', diff });
    } catch (e) {
      out.push({ id: resourceId(t), change: 'error', diff: '', error: (e as Error).message });
    }
  }
  for (const r of original) {
    if (target.some((t) => sameResource(t, r))) continue;
    const live = await cfg.kube.get(r);
    if (!live) continue;
    const annotations = (live.metadata?.annotations ?? {}) as Record<string, string>;
    if (annotations[RESOURCE_POLICY] === 'keep') continue;
    out.push({ id: resourceId(r), change: 'removed', diff: unifiedDiff(comparable(live), '', `${label(r)} (live)`, `${label(r)} (upgrade)`) });
  }
  return out;
}
