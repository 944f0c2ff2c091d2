/**
 * Running a release's hooks for one event (pkg/action/hooks.go execHook): hooks with that event,
 * sorted by weight, then kind (install order), then name; before each, a hook object left by a previous run is deleted
 * when its policy is before-hook-creation (the default when none is given); the object is created
 * and, for Jobs and Pods, awaited until it completes; its last_run is recorded. A failing hook is
 * deleted under hook-failed and stops the run; after all succeeded, hook-succeeded ones are deleted.
 */
import type { ActionConfig } from './config.js';
import { now } from './config.js';
import type { Resource } from './kube.js';
import { waitForHook } from './ready.js';
import type { HookRecord, Release } from './release.js';
import { INSTALL_ORDER } from '../manifests.js';

async function hookResources(cfg: ActionConfig, h: HookRecord): Promise<Resource[]> {
  try {
    return await cfg.kube.build(h.manifest);
  } catch (e) {
    throw new Error(`unable to build kubernetes object for ${h.events.join(',')} hook ${h.path}: ${(e as Error).message}`);
  }
}

async function deleteByPolicy(cfg: ActionConfig, h: HookRecord, policy: string, timeoutMs: number): Promise<void> {
  // CRDs are never deleted: that would garbage-collect every object of the kind.
  if (h.kind === 'CustomResourceDefinition' || !h.delete_policies.includes(policy)) return;
  for (const r of await hookResources(cfg, h)) {
    if (await cfg.kube.delete(r)) await waitGone(cfg, r, timeoutMs);
  }
}

async function waitGone(cfg: ActionConfig, r: Resource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await cfg.kube.get(r))) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** hookByWeight: weight, then kind in install order (unknown kinds last, alphabetically), then name. */
export function hookOrder(hooks: HookRecord[]): HookRecord[] {
  const rank = (k: string) => { const i = INSTALL_ORDER.indexOf(k); return i < 0 ? INSTALL_ORDER.length : i; };
  return hooks.map((h, i) => ({ h, i }))
    .sort((a, b) => a.h.weight - b.h.weight || rank(a.h.kind) - rank(b.h.kind)
      || (rank(a.h.kind) === INSTALL_ORDER.length ? byName(a.h.kind, b.h.kind) : 0) || byName(a.h.name, b.h.name) || a.i - b.i)
    .map((x) => x.h);
}

export async function execHooks(cfg: ActionConfig, rel: Release, event: string, timeoutMs: number): Promise<void> {
  const executing = hookOrder(rel.hooks.filter((h) => h.events.includes(event)));
  for (const h of executing) {
    if (h.delete_policies.length === 0) h.delete_policies = ['before-hook-creation'];
    await deleteByPolicy(cfg, h, 'before-hook-creation', timeoutMs);
    const resources = await hookResources(cfg, h);
    h.last_run = { started_at: now(), completed_at: '', phase: 'Running' };
    await cfg.storage.update(rel).catch((e: Error) => cfg.log(`warning: Failed to update release ${rel.name}: ${e.message}`));
    h.last_run.phase = 'Unknown';
    try {
      for (const r of resources) await cfg.kube.create(r);
    } catch (e) {
      h.last_run.completed_at = now();
      h.last_run.phase = 'Failed';
      throw new Error(`warning: Hook ${event} ${h.path} failed: ${(e as Error).message}`);
    }
    try {
      for (const r of resources) await waitForHook(cfg.kube, r, timeoutMs);
    } catch (e) {
      h.last_run.completed_at = now();
      h.last_run.phase = 'Failed';
      await deleteByPolicy(cfg, h, 'hook-failed', timeoutMs);
      throw e;
    }
    h.last_run.completed_at = now();
    h.last_run.phase = 'Succeeded';
    cfg.log(`hook ${h.path} (${event}) succeeded`);
  }
  for (const h of [...executing].reverse()) await deleteByPolicy(cfg, h, 'hook-succeeded', timeoutMs);
}
