/**
 * The user's chart repositories, in helm's own files so skiff and helm share them:
 * repositories.yaml ($HELM_REPOSITORY_CONFIG, default $XDG_CONFIG_HOME/helm/repositories.yaml)
 * and cached indexes ($HELM_REPOSITORY_CACHE/<name>-index.yaml, default
 * $XDG_CACHE_HOME/helm/repository). Implements `helm repo add|list|remove|update` and resolves
 * `repo/chart` references and `@repo` / `alias:repo` dependency repositories.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { marshalYaml } from '../../helm/values/marshal.js';
import { isHelmMap, parseYaml } from '../../helm/values/yaml.js';
import { CommandError } from './errors.js';
import { str, type FlagValues } from './flags.js';
import type { HelmIO } from './io.js';

export interface RepoEntry { name: string; url: string; username?: string; password?: string }

export function repositoryConfigPath(f: FlagValues): string {
  return str(f, 'repository-config') || process.env.HELM_REPOSITORY_CONFIG
    || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'helm', 'repositories.yaml');
}

export function repositoryCachePath(f: FlagValues): string {
  return str(f, 'repository-cache') || process.env.HELM_REPOSITORY_CACHE
    || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'helm', 'repository');
}

export function readRepositories(f: FlagValues): RepoEntry[] {
  const path = repositoryConfigPath(f);
  if (!existsSync(path)) return [];
  const doc = parseYaml(readFileSync(path, 'utf8'));
  if (!isHelmMap(doc) || !Array.isArray(doc.repositories)) return [];
  return doc.repositories.filter(isHelmMap).map((r) => ({
    name: String(r.name ?? ''), url: String(r.url ?? ''),
    username: r.username ? String(r.username) : undefined, password: r.password ? String(r.password) : undefined,
  }));
}

function writeRepositories(f: FlagValues, repos: RepoEntry[]): void {
  const path = repositoryConfigPath(f);
  mkdirSync(dirname(path), { recursive: true });
  const doc = {
    apiVersion: '', generated: '0001-01-01T00:00:00Z',
    repositories: repos.map((r) => ({
      caFile: '', certFile: '', insecure_skip_tls_verify: false, keyFile: '', name: r.name,
      pass_credentials_all: false, password: r.password ?? '', url: r.url, username: r.username ?? '',
    })),
  };
  writeFileSync(path, marshalYaml(doc), { mode: 0o600 });
}

async function downloadIndex(f: FlagValues, repo: RepoEntry): Promise<void> {
  const url = `${repo.url.replace(/\/+$/, '')}/index.yaml`;
  let res: Response;
  try { res = await fetch(url); } catch (e) {
    throw new CommandError(`looks like "${repo.url}" is not a valid chart repository or cannot be reached: ${(e as Error).message}`);
  }
  if (!res.ok) throw new CommandError(`looks like "${repo.url}" is not a valid chart repository or cannot be reached: failed to fetch ${url} : ${res.status} ${res.statusText}`);
  const text = await res.text();
  const doc = parseYaml(text);
  if (!isHelmMap(doc) || !isHelmMap(doc.entries)) throw new CommandError(`looks like "${repo.url}" is not a valid chart repository or cannot be reached: no API version specified`);
  const cache = repositoryCachePath(f);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, `${repo.name}-index.yaml`), text);
}

export async function repoAdd(args: string[], f: FlagValues, io: HelmIO): Promise<void> {
  if (args.length !== 2) throw new CommandError('"helm repo add" requires 2 arguments\n\nUsage:  helm repo add [NAME] [URL] [flags]');
  const [name, url] = args;
  if (name.includes('/')) throw new CommandError(`repository name (${name}) contains '/', please specify a different name without '/'`);
  const repos = readRepositories(f);
  const existing = repos.find((r) => r.name === name);
  if (existing) {
    if (existing.url === url) { io.stdout.write(`"${name}" already exists with the same configuration, skipping\n`); return; }
    throw new CommandError(`repository name (${name}) already exists, please specify a different name`);
  }
  const entry: RepoEntry = { name, url, username: str(f, 'username') || undefined, password: str(f, 'password') || undefined };
  await downloadIndex(f, entry);
  writeRepositories(f, [...repos, entry]);
  io.stdout.write(`"${name}" has been added to your repositories\n`);
}

export function repoList(f: FlagValues, io: HelmIO, table: (rows: string[][]) => string): void {
  const repos = readRepositories(f);
  if (repos.length === 0) throw new CommandError('no repositories to show');
  io.stdout.write(`${table([['NAME', 'URL'], ...repos.map((r) => [r.name, r.url])])}\n`);
}

export function repoRemove(args: string[], f: FlagValues, io: HelmIO): void {
  if (args.length === 0) throw new CommandError('"helm repo remove" requires at least 1 argument');
  let repos = readRepositories(f);
  for (const name of args) {
    if (!repos.some((r) => r.name === name)) throw new CommandError(`no repo named "${name}" found`);
    repos = repos.filter((r) => r.name !== name);
    writeRepositories(f, repos);
    io.stdout.write(`"${name}" has been removed from your repositories\n`);
  }
}

export async function repoUpdate(args: string[], f: FlagValues, io: HelmIO): Promise<void> {
  const repos = readRepositories(f).filter((r) => args.length === 0 || args.includes(r.name));
  if (repos.length === 0) throw new CommandError('no repositories found. You must add one before updating');
  io.stdout.write('Hang tight while we grab the latest from your chart repositories...\n');
  for (const r of repos) {
    try {
      await downloadIndex(f, r);
      io.stdout.write(`...Successfully got an update from the "${r.name}" chart repository\n`);
    } catch (e) {
      io.stdout.write(`...Unable to get an update from the "${r.name}" chart repository (${r.url}):\n\t${(e as Error).message}\n`);
    }
  }
  io.stdout.write('Update Complete. ⎈Happy Helming!⎈\n');
}

/** The URL for a dependency repository written as `@name` or `alias:name`, else as given. */
export function resolveRepoAlias(repository: string, f: FlagValues): string {
  const m = /^(?:@|alias:)(.+)$/.exec(repository);
  if (!m) return repository;
  const r = readRepositories(f).find((x) => x.name === m[1]);
  if (!r) throw new CommandError(`no repository definition for ${repository}. Please add them via 'helm repo add'`);
  return r.url;
}
