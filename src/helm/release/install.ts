/**
 * helm install against a cluster (pkg/action/install.go): CRDs from crds/ first, render with the
 * cluster's capabilities, refuse names in use and objects owned by someone else, record the
 * release as pending-install, run pre-install hooks, create (or adopt) the objects in kind order,
 * optionally wait for readiness, run post-install hooks, and mark it deployed. A failure marks the
 * release failed; with --atomic the release is then uninstalled.
 *
 * Input: ActionConfig (cluster), InstallOptions. Output: the stored Release.
 */
import type { Chart } from '../chart/types.js';
import { validateReleaseName } from '../release-render.js';
import type { HelmMap } from '../values/yaml.js';
import { ActionConfig, isPending, now, setStatus } from './config.js';
import { execHooks } from './hooks.js';
import type { Resource } from './kube.js';
import { waitForReady } from './ready.js';
import { chartRecord, type Release } from './release.js';
import { clusterCapabilities, hookRecords, renderForCluster, type RenderSettings } from './render-for-cluster.js';
import { existingResources, setOwnership, updateResources } from './resources.js';
import { uninstall } from './uninstall.js';

export interface WaitOptions { wait: boolean; waitForJobs: boolean; timeoutMs: number }

export interface InstallOptions extends WaitOptions {
  name: string;
  namespace: string;
  chart: Chart;
  values: HelmMap;
  createNamespace?: boolean;
  atomic?: boolean;
  /** '' (real install), 'client' (no cluster contact) or 'server'. */
  dryRun?: '' | 'client' | 'server';
  description?: string;
  skipCrds?: boolean;
  disableHooks?: boolean;
  takeOwnership?: boolean;
  /** --replace: reuse the name of an uninstalled or failed release (a new revision supersedes it). */
  replace?: boolean;
  /** Custom release labels (--labels). */
  labels?: Record<string, string>;
  render?: RenderSettings;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** installCRDs: create each CRD from crds/ (existing ones are skipped) and wait until they are served. */
export async function installCrds(cfg: ActionConfig, chart: Chart, upgradeExisting = false): Promise<void> {
  const crds = chart.crdObjects();
  if (crds.length === 0) return;
  const all: Resource[] = [];
  for (const crd of crds) {
    const rs = await cfg.kube.build(crd.file.data.toString('utf8'));
    for (const r of rs) {
      const live = await cfg.kube.get(r);
      if (!live) { await cfg.kube.create(r); all.push(r); continue; }
      if (upgradeExisting) { await cfg.kube.update(live, r, live, false); all.push(r); continue; }
      cfg.log(`CRD ${r.name} is already present. Skipping.`);
    }
  }
  if (all.length > 0) await waitForReady(cfg.kube, all, 60_000, false, 200);
  await sleep(0);
}

export async function ensureNamespace(cfg: ActionConfig, namespace: string): Promise<void> {
  const res = await cfg.rest.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { name: namespace } } });
  if (res.status >= 300 && res.status !== 409) throw new Error(`failed to create namespace ${namespace}: ${res.text}`);
}

/** availableName: a name with history may be reused only with --replace, when its latest revision is uninstalled or failed. */
async function checkNameAvailable(cfg: ActionConfig, name: string, replace: boolean): Promise<Release | undefined> {
  const h = await cfg.storage.history(name);
  if (h.length === 0) return undefined;
  const last = h[h.length - 1];
  if (replace && (last.info.status === 'uninstalled' || last.info.status === 'failed')) return last;
  if (isPending(last.info.status)) {
    // A stuck first install (the process died mid-way) otherwise blocks the name for good.
    throw new Error(`cannot re-use a name that is still in use\n(release "${name}" revision ${last.version} is ${last.info.status}; if no helm operation is running, recover with ` +
      (last.version > 1 ? `\`skiff helm rollback ${name} ${last.version - 1}\`)` : `\`skiff helm uninstall ${name}\`)`));
  }
  throw new Error('cannot re-use a name that is still in use');
}

export async function install(cfg: ActionConfig, o: InstallOptions): Promise<Release> {
  validateReleaseName(o.name);
  const dry = o.dryRun ?? '';
  const previous = dry === 'client' ? undefined : await checkNameAvailable(cfg, o.name, !!o.replace);
  if (!o.skipCrds && !dry) await installCrds(cfg, o.chart);
  const caps = dry === 'client' ? { apiVersions: [] } : await clusterCapabilities(cfg);
  const rendered = await renderForCluster(cfg, o.chart, o.values, { name: o.name, namespace: o.namespace, revision: 1, isInstall: true, isUpgrade: false }, o.render ?? {}, caps);
  const ts = now();
  const rel: Release = {
    name: o.name, namespace: o.namespace, version: 1,
    info: { first_deployed: ts, last_deployed: ts, deleted: '', description: 'Initial install underway', status: 'pending-install', notes: rendered.notes },
    chart: chartRecord(o.chart), config: o.values, manifest: rendered.manifest, hooks: hookRecords(rendered),
    labels: o.labels && Object.keys(o.labels).length > 0 ? o.labels : undefined,
  };
  if (dry) { rel.info.description = 'Dry run complete'; return rel; }

  const resources = await cfg.kube.build(rel.manifest);
  const toAdopt = await existingResources(cfg, resources, o.name, o.namespace, !!o.takeOwnership, 'install');
  setOwnership(resources, o.name, o.namespace);
  if (o.createNamespace) await ensureNamespace(cfg, o.namespace);
  if (previous) {
    // replaceRelease: the new release follows the old one's revisions and supersedes it.
    rel.version = previous.version + 1;
    setStatus(previous, 'superseded', previous.info.description);
    await cfg.storage.update(previous);
  }
  await cfg.storage.create(rel);
  try {
    if (!o.disableHooks) await execHooks(cfg, rel, 'pre-install', o.timeoutMs).catch((e: Error) => { throw new Error(`failed pre-install: ${e.message}`); });
    if (toAdopt.length > 0) await updateResources(cfg, toAdopt, resources, false);
    else for (const r of resources) await cfg.kube.create(r);
    if (o.wait || o.atomic) await waitForReady(cfg.kube, resources, o.timeoutMs, o.waitForJobs);
    if (!o.disableHooks) await execHooks(cfg, rel, 'post-install', o.timeoutMs).catch((e: Error) => { throw new Error(`failed post-install: ${e.message}`); });
  } catch (e) {
    return failInstall(cfg, rel, o, e as Error);
  }
  setStatus(rel, 'deployed', o.description || 'Install complete');
  await cfg.storage.update(rel);
  return rel;
}

async function failInstall(cfg: ActionConfig, rel: Release, o: InstallOptions, err: Error): Promise<never> {
  setStatus(rel, 'failed', `Release "${rel.name}" failed: ${err.message}`);
  await cfg.storage.update(rel);
  if (o.atomic) {
    cfg.log('Install failed and atomic is set, uninstalling release');
    try {
      await uninstall(cfg, rel.name, { keepHistory: false, disableHooks: !!o.disableHooks, timeoutMs: o.timeoutMs, wait: false });
    } catch (e) {
      throw new Error(`an error occurred while uninstalling the release. original install error: ${err.message}: ${(e as Error).message}`);
    }
    throw new Error(`release ${rel.name} failed, and has been uninstalled due to atomic being set: ${err.message}`);
  }
  throw err;
}
