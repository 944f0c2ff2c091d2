/**
 * Chart repositories over HTTP (helm pkg/repo, pkg/downloader): fetch `<repo>/index.yaml`,
 * choose the newest chart version matching a constraint (prereleases only when the constraint
 * names one), and download the chart archive. Used by `skiff helm` (dependency update/build,
 * --repo, repo/chart) and by anything else that needs a chart from a repository (GitOps).
 *   downloadFromRepo(repoURL, chartName, constraint) -> { version, data: Buffer (a .tgz) }
 * Errors are Error with helm's wording.
 */
import { isCompatibleRange, compareSemver, parseSemver, type SemVer } from './chart/semver.js';
import { isHelmMap, parseYaml } from './values/yaml.js';

export interface IndexEntry { version: string; urls: string[] }

export async function fetchIndex(repo: string, cache: Map<string, Record<string, IndexEntry[]>>): Promise<Record<string, IndexEntry[]>> {
  const hit = cache.get(repo);
  if (hit) return hit;
  const url = `${repo.replace(/\/+$/, '')}/index.yaml`;
  let text: string;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`failed to fetch ${url} : ${res.status} ${res.statusText}`);
    text = await res.text();
  } catch (e) {
    throw new Error(`looks like "${repo}" is not a valid chart repository or cannot be reached: ${(e as Error).message}`);
  }
  const doc = parseYaml(text);
  const entries: Record<string, IndexEntry[]> = {};
  if (isHelmMap(doc) && isHelmMap(doc.entries)) {
    for (const [name, list] of Object.entries(doc.entries)) {
      if (!Array.isArray(list)) continue;
      entries[name] = list.filter(isHelmMap).map((e) => ({ version: String(e.version ?? ''), urls: Array.isArray(e.urls) ? e.urls.map(String) : [] }));
    }
  }
  cache.set(repo, entries);
  return entries;
}

/** The newest version in the index satisfying the constraint (helm's resolver). */
export function pickVersion(entries: IndexEntry[], constraint: string): IndexEntry | undefined {
  const ok = entries.filter((e) => parseSemver(e.version) && isCompatibleRange(constraint || '*', e.version));
  ok.sort((a, b) => compareSemver(parseSemver(b.version) as SemVer, parseSemver(a.version) as SemVer));
  return ok[0];
}

/** Download `name` (newest match of `constraint`, any version when empty) from a repository. */
export async function downloadFromRepo(repo: string, name: string, constraint: string): Promise<{ version: string; data: Buffer }> {
  const entry = pickVersion((await fetchIndex(repo, new Map()))[name] ?? [], constraint);
  if (!entry || entry.urls.length === 0) {
    throw new Error(`chart "${name}"${constraint ? ` version "${constraint}"` : ''} not found in ${repo} repository`);
  }
  const url = new URL(entry.urls[0], repo.replace(/\/*$/, '/')).toString();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`failed to fetch ${url} : ${res.status} ${res.statusText}`);
  return { version: entry.version, data: Buffer.from(await res.arrayBuffer()) };
}
