/**
 * helm test (pkg/action/release_testing.go): run the latest revision's `test` hooks (filtered by
 * --filter name=X / !name=X), record their last runs in the stored release, and report failure.
 */
import type { ActionConfig } from './config.js';
import { execHooks } from './hooks.js';
import type { Release } from './release.js';

export async function runReleaseTests(cfg: ActionConfig, name: string, timeoutMs: number, filters: string[] = []): Promise<{ release: Release; error?: Error }> {
  const rel = await cfg.storage.last(name);
  const include = filters.filter((x) => x.startsWith('name=')).map((x) => x.slice(5));
  const exclude = filters.filter((x) => x.startsWith('!name=')).map((x) => x.slice(6));
  const all = rel.hooks;
  const skipped = all.filter((h) => h.events.includes('test') && ((include.length > 0 && !include.includes(h.name)) || exclude.includes(h.name)));
  rel.hooks = all.filter((h) => !skipped.includes(h));
  let error: Error | undefined;
  try {
    await execHooks(cfg, rel, 'test', timeoutMs);
  } catch (e) {
    error = e as Error;
  }
  rel.hooks = all;
  await cfg.storage.update(rel);
  return { release: rel, error };
}
