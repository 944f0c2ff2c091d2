/**
 * helm upgrade (pkg/action/upgrade.go): refuse while an operation is pending, pick the values
 * (--reuse-values / --reset-values / --reset-then-reuse-values, or the old values when none are
 * given), render revision N+1, record it pending-upgrade, run pre-upgrade hooks, converge the
 * cluster from the current manifest to the new one (three-way patches, deletions of dropped
 * objects), optionally wait, run post-upgrade hooks, supersede the previous release, and prune the
 * history to --history-max. Failures mark the new revision failed; --cleanup-on-fail deletes the
 * objects it created; --atomic rolls back to the last successful revision.
 *
 * Input: ActionConfig, UpgradeOptions. Output: the new Release.
 */
import type { Chart } from '../chart/types.js';
import { validateReleaseName } from '../release-render.js';
import { coalesceTables, deepCopy } from '../values/coalesce.js';
import type { HelmMap } from '../values/yaml.js';
import { ActionConfig, isPending, now, pendingError, setStatus } from './config.js';
import { execHooks } from './hooks.js';
import { installCrds, type WaitOptions } from './install.js';
import { waitForReady } from './ready.js';
import { chartRecord, mergeLabels, type Release } from './release.js';
import { clusterCapabilities, hookRecords, renderForCluster, type RenderSettings } from './render-for-cluster.js';
import { existingResources, setOwnership, updateResources, type UpdateResult } from './resources.js';
import { rollback } from './rollback.js';
import { ReleaseNotFound } from './storage.js';

export interface UpgradeOptions extends WaitOptions {
  name: string;
  namespace: string;
  chart: Chart;
  values: HelmMap;
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
  historyMax?: number;
  cleanupOnFail?: boolean;
  force?: boolean;
  atomic?: boolean;
  dryRun?: '' | 'client' | 'server';
  description?: string;
  disableHooks?: boolean;
  takeOwnership?: boolean;
  /** Beyond helm: update CRDs from crds/ (helm never upgrades them). */
  upgradeCrds?: boolean;
  /** Custom labels merged over the last revision's ("null" removes one). */
  labels?: Record<string, string>;
  render?: RenderSettings;
}

/** reuseValues: the values the new revision renders with. */
export function upgradeValues(o: Pick<UpgradeOptions, 'chart' | 'values' | 'reuseValues' | 'resetValues' | 'resetThenReuseValues'>, current: Release): HelmMap {
  const newVals = deepCopy(o.values);
  if (o.resetValues) return newVals;
  if (o.reuseValues) {
    // The old chart's defaults (with the old config) become the chart values, as helm does.
    o.chart.values = coalesceTables(deepCopy(current.config), deepCopy(current.chart.values ?? {}));
    return coalesceTables(newVals, deepCopy(current.config));
  }
  if (o.resetThenReuseValues) return coalesceTables(newVals, deepCopy(current.config));
  if (Object.keys(newVals).length === 0 && Object.keys(current.config).length > 0) return deepCopy(current.config);
  return newVals;
}

/** The release an upgrade starts from: the deployed one, else a failed/superseded latest one. */
export async function currentRelease(cfg: ActionConfig, name: string): Promise<{ last: Release; current: Release }> {
  let last: Release;
  try { last = await cfg.storage.last(name); } catch (e) {
    if (e instanceof ReleaseNotFound) throw new Error(`"${name}" has no deployed releases`);
    throw e;
  }
  if (isPending(last.info.status)) throw pendingError(last);
  const deployed = await cfg.storage.deployedAll(name);
  if (deployed.length > 0) return { last, current: deployed[0] };
  if (last.info.status === 'failed' || last.info.status === 'superseded') return { last, current: last };
  throw new Error(`"${name}" has no deployed releases`);
}

export interface PreparedUpgrade { current: Release; upgraded: Release }

export async function prepareUpgrade(cfg: ActionConfig, o: UpgradeOptions): Promise<PreparedUpgrade> {
  validateReleaseName(o.name);
  const { last, current } = await currentRelease(cfg, o.name);
  const values = upgradeValues(o, current);
  const caps = await clusterCapabilities(cfg);
  const revision = last.version + 1;
  const rendered = await renderForCluster(cfg, o.chart, values, { name: o.name, namespace: o.namespace, revision, isInstall: false, isUpgrade: true }, o.render ?? {}, caps);
  const ts = now();
  const upgraded: Release = {
    name: o.name, namespace: current.namespace, version: revision,
    info: { first_deployed: current.info.first_deployed, last_deployed: ts, deleted: '', description: 'Preparing upgrade', status: 'pending-upgrade', notes: rendered.notes },
    chart: chartRecord(o.chart), config: values, manifest: rendered.manifest, hooks: hookRecords(rendered),
    labels: mergeLabels(last.labels, o.labels ?? {}),
  };
  return { current, upgraded };
}

export async function upgrade(cfg: ActionConfig, o: UpgradeOptions): Promise<Release> {
  if (o.upgradeCrds && !o.dryRun) await installCrds(cfg, o.chart, true);
  const { current, upgraded } = await prepareUpgrade(cfg, o);
  if (o.dryRun) { upgraded.info.description = 'Dry run complete'; return upgraded; }

  const original = await cfg.kube.build(current.manifest);
  const target = await cfg.kube.build(upgraded.manifest);
  const fresh = target.filter((t) => !original.some((c) => c.kind === t.kind && c.name === t.name && c.namespace === t.namespace));
  const adopted = await existingResources(cfg, fresh, o.name, o.namespace, !!o.takeOwnership, 'update');
  setOwnership(target, o.name, o.namespace);
  await cfg.storage.create(upgraded);

  let result: UpdateResult | undefined;
  try {
    if (!o.disableHooks) await execHooks(cfg, upgraded, 'pre-upgrade', o.timeoutMs).catch((e: Error) => { throw new Error(`pre-upgrade hooks failed: ${e.message}`); });
    result = await updateResources(cfg, [...original, ...adopted.map((r) => ({ ...r }))], target, !!o.force);
    if (o.wait || o.atomic) await waitForReady(cfg.kube, target, o.timeoutMs, o.waitForJobs);
    if (!o.disableHooks) await execHooks(cfg, upgraded, 'post-upgrade', o.timeoutMs).catch((e: Error) => { throw new Error(`post-upgrade hooks failed: ${e.message}`); });
  } catch (e) {
    return failUpgrade(cfg, upgraded, o, e as Error, result);
  }
  setStatus(current, 'superseded', current.info.description);
  await cfg.storage.update(current);
  setStatus(upgraded, 'deployed', o.description || 'Upgrade complete');
  await cfg.storage.update(upgraded);
  await cfg.storage.pruneHistory(o.name, o.historyMax ?? 10);
  return upgraded;
}

async function failUpgrade(cfg: ActionConfig, rel: Release, o: UpgradeOptions, err: Error, result: UpdateResult | undefined): Promise<never> {
  setStatus(rel, 'failed', `Upgrade "${rel.name}" failed: ${err.message}`);
  await cfg.storage.update(rel);
  if (o.cleanupOnFail && result) {
    cfg.log(`Cleanup on fail set, cleaning up ${result.created.length} resources`);
    for (const r of result.created) await cfg.kube.delete(r).catch(() => false);
  }
  if (!o.atomic) throw err;
  cfg.log('Upgrade failed and atomic is set, rolling back to last successful release');
  const history = await cfg.storage.history(rel.name);
  const good = [...history].reverse().find((r) => r.version < rel.version && (r.info.status === 'deployed' || r.info.status === 'superseded'));
  if (!good) throw new Error(`unable to find a previously successful release when attempting to rollback. original upgrade error: ${err.message}`);
  try {
    await rollback(cfg, rel.name, { version: good.version, wait: true, waitForJobs: o.waitForJobs, timeoutMs: o.timeoutMs, force: !!o.force, disableHooks: !!o.disableHooks, cleanupOnFail: !!o.cleanupOnFail, historyMax: o.historyMax ?? 10 });
  } catch (e) {
    throw new Error(`an error occurred while rolling back the release. original upgrade error: ${err.message}: ${(e as Error).message}`);
  }
  throw new Error(`release ${rel.name} failed, and has been rolled back due to atomic being set: ${err.message}`);
}
