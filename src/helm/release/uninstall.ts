/**
 * helm uninstall (pkg/action/uninstall.go): mark the latest revision uninstalling, run pre-delete
 * hooks, delete the release's objects in uninstall order (keeping `helm.sh/resource-policy: keep`
 * ones), run post-delete hooks, then either purge every revision's Secret or, with --keep-history,
 * keep the record as uninstalled.
 *
 * Input: ActionConfig, release name, UninstallOptions. Output: the release and the kept objects.
 */
import { ActionConfig, now, setStatus } from './config.js';
import { execHooks } from './hooks.js';
import type { Resource } from './kube.js';
import type { Release } from './release.js';
import { deleteResources } from './resources.js';

export interface UninstallOptions {
  keepHistory: boolean; disableHooks: boolean; timeoutMs: number; wait: boolean; description?: string; dryRun?: boolean;
  /** --cascade background|foreground|orphan. */
  cascade?: 'Background' | 'Foreground' | 'Orphan';
}

export interface UninstallResult { release: Release; kept: Resource[]; info: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function uninstall(cfg: ActionConfig, name: string, o: UninstallOptions): Promise<UninstallResult> {
  const rels = await cfg.storage.history(name);
  if (rels.length === 0) throw new Error(`uninstall: Release not loaded: ${name}: release: not found`);
  const rel = rels[rels.length - 1];
  if (o.dryRun) return { release: rel, kept: [], info: '' };
  const purge = async () => { for (const r of rels) await cfg.storage.delete(r.name, r.version, r.namespace); };
  if (rel.info.status === 'uninstalled') {
    if (!o.keepHistory) { await purge(); return { release: rel, kept: [], info: '' }; }
    throw new Error(`the release named ${JSON.stringify(name)} is already deleted`);
  }
  setStatus(rel, 'uninstalling', 'Deletion in progress (or silently failed)');
  rel.info.deleted = now();
  if (!o.disableHooks) await execHooks(cfg, rel, 'pre-delete', o.timeoutMs);
  await cfg.storage.update(rel);

  const resources = await cfg.kube.build(rel.manifest).catch((e: Error) => { throw new Error(`unable to build kubernetes objects for delete: ${e.message}`); });
  const { kept, errors } = await deleteResources(cfg, resources, o.cascade ?? 'Background');
  let info = '';
  if (kept.length > 0) info = `These resources were kept due to the resource policy:\n${kept.map((r) => `[${r.kind}] ${r.name}\n`).join('')}`;
  if (o.wait) {
    const deadline = Date.now() + o.timeoutMs;
    for (const r of resources.filter((x) => !kept.includes(x))) {
      while (Date.now() < deadline && (await cfg.kube.get(r))) await sleep(200);
    }
  }
  if (!o.disableHooks) {
    try { await execHooks(cfg, rel, 'post-delete', o.timeoutMs); } catch (e) { errors.push((e as Error).message); }
  }
  setStatus(rel, 'uninstalled', o.description || 'Uninstallation complete');
  if (!o.keepHistory) await purge();
  else await cfg.storage.update(rel);
  if (errors.length > 0) throw new Error(`uninstallation completed with ${errors.length} error(s): ${errors.join('; ')}`);
  return { release: rel, kept, info };
}
