/**
 * helm rollback (pkg/action/rollback.go): revision 0 means the previous one; the target revision's
 * chart, values, manifest and hooks become a new revision N+1 (pending-rollback, "Rollback to X"),
 * pre-rollback hooks run, the cluster converges from the current manifest to the old one, --wait
 * waits, post-rollback hooks run, every deployed revision is superseded and the new one deployed.
 *
 * Input: ActionConfig, name, RollbackOptions. Output: the new Release.
 */
import { ActionConfig, now, setStatus } from './config.js';
import { execHooks } from './hooks.js';
import { waitForReady } from './ready.js';
import type { Release } from './release.js';
import { setOwnership, updateResources, type UpdateResult } from './resources.js';
import { ReleaseNotFound } from './storage.js';

export interface RollbackOptions {
  version: number;
  wait: boolean;
  waitForJobs: boolean;
  timeoutMs: number;
  force: boolean;
  disableHooks: boolean;
  cleanupOnFail: boolean;
  historyMax: number;
  dryRun?: boolean;
}

export async function rollback(cfg: ActionConfig, name: string, o: RollbackOptions): Promise<Release> {
  let current: Release;
  try { current = await cfg.storage.last(name); } catch (e) {
    if (e instanceof ReleaseNotFound) throw new Error(`release: not found`);
    throw e;
  }
  // No pending guard: rolling back is how a release stuck in pending-* is recovered.
  let previousVersion = o.version;
  if (previousVersion === 0) previousVersion = current.version - 1;
  if (previousVersion < 1) throw new Error('release has no previous version to roll back to');
  let previous: Release;
  try { previous = await cfg.storage.get(name, previousVersion); } catch (e) {
    if (e instanceof ReleaseNotFound) throw new Error(`release has no ${previousVersion} version`);
    throw e;
  }
  const target: Release = {
    name, namespace: current.namespace, version: current.version + 1,
    info: { first_deployed: current.info.first_deployed, last_deployed: now(), deleted: '', description: `Rollback to ${previousVersion}`, status: 'pending-rollback', notes: previous.info.notes },
    chart: previous.chart, config: previous.config, manifest: previous.manifest,
    hooks: previous.hooks.map((h) => ({ ...h, last_run: { started_at: '', completed_at: '', phase: '' } })),
    labels: previous.labels,
  };
  if (o.dryRun) return target;
  const original = await cfg.kube.build(current.manifest);
  const wanted = await cfg.kube.build(target.manifest);
  setOwnership(wanted, name, target.namespace);
  await cfg.storage.create(target);

  let result: UpdateResult | undefined;
  try {
    if (!o.disableHooks) await execHooks(cfg, target, 'pre-rollback', o.timeoutMs).catch((e: Error) => { throw new Error(`pre-rollback hooks failed: ${e.message}`); });
    result = await updateResources(cfg, original, wanted, o.force);
    if (o.wait) await waitForReady(cfg.kube, wanted, o.timeoutMs, o.waitForJobs);
    if (!o.disableHooks) await execHooks(cfg, target, 'post-rollback', o.timeoutMs).catch((e: Error) => { throw new Error(`post-rollback hooks failed: ${e.message}`); });
  } catch (e) {
    const msg = `Rollback "${name}" failed: ${(e as Error).message}`;
    setStatus(current, 'superseded', current.info.description);
    setStatus(target, 'failed', msg);
    await cfg.storage.update(current);
    await cfg.storage.update(target);
    if (o.cleanupOnFail && result) for (const r of result.created) await cfg.kube.delete(r).catch(() => false);
    throw e;
  }
  for (const d of await cfg.storage.deployedAll(name)) {
    setStatus(d, 'superseded', d.info.description);
    await cfg.storage.update(d);
  }
  setStatus(target, 'deployed', target.info.description);
  await cfg.storage.update(target);
  await cfg.storage.pruneHistory(name, o.historyMax);
  return target;
}
