/**
 * Scheduler configuration, a subset of KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):
 * `percentageOfNodesToScore`, `podInitialBackoffSeconds`, `podMaxBackoffSeconds`, and `profiles`
 * each with `schedulerName` and `plugins.{multiPoint,filter,score}.{enabled,disabled}`
 * (`disabled: [{name: '*'}]` drops every default; `enabled[].weight` sets a score weight).
 * `loadSchedulerConfig(path)` reads the YAML file; `buildProfiles(config)` resolves plugins.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Plugin, Profile } from './framework.js';
import { DEFAULT_SCORE_WEIGHTS, IN_TREE_PLUGINS, pluginByName } from './plugins/registry.js';

export interface PluginRef {
  name: string;
  weight?: number;
}
export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}
export interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: { multiPoint?: PluginSet; filter?: PluginSet; score?: PluginSet };
}
export interface SchedulerConfig {
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: ProfileConfig[];
  /** Skiff extension: write a `Scheduled` Event per bound pod (default true). */
  scheduledEvents?: boolean;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function parseSchedulerConfig(text: string): SchedulerConfig {
  const raw: unknown = parseYaml(text);
  if (!raw || typeof raw !== 'object') throw new Error('scheduler config: expected a mapping');
  const cfg = raw as SchedulerConfig & { kind?: string };
  if (cfg.kind && cfg.kind !== 'KubeSchedulerConfiguration') throw new Error(`scheduler config: kind ${cfg.kind}, expected KubeSchedulerConfiguration`);
  if (cfg.profiles !== undefined && !Array.isArray(cfg.profiles)) throw new Error('scheduler config: profiles must be a list');
  for (const [i, p] of (cfg.profiles ?? []).entries()) {
    for (const point of ['multiPoint', 'filter', 'score'] as const) {
      for (const ref of p.plugins?.[point]?.enabled ?? []) {
        if (!pluginByName(ref.name)) throw new Error(`scheduler config: profiles[${i}].plugins.${point}.enabled: unknown plugin ${JSON.stringify(ref.name)}`);
      }
    }
  }
  return cfg;
}

export const loadSchedulerConfig = (path: string): SchedulerConfig => parseSchedulerConfig(readFileSync(path, 'utf8'));

function resolvePoint(p: ProfileConfig, point: 'filter' | 'score', has: (pl: Plugin) => boolean): Array<{ plugin: Plugin; weight: number }> {
  const sets = [p.plugins?.multiPoint, p.plugins?.[point]];
  const disabled = new Set(sets.flatMap((s) => (s?.disabled ?? []).map((d) => d.name)));
  const out = new Map<string, { plugin: Plugin; weight: number }>();
  if (!disabled.has('*')) {
    for (const pl of IN_TREE_PLUGINS) {
      if (!has(pl) || disabled.has(pl.name)) continue;
      if (point === 'score' && !(pl.name in DEFAULT_SCORE_WEIGHTS)) continue;
      out.set(pl.name, { plugin: pl, weight: DEFAULT_SCORE_WEIGHTS[pl.name] ?? 1 });
    }
  }
  for (const s of sets) {
    for (const ref of s?.enabled ?? []) {
      const pl = pluginByName(ref.name);
      if (!pl || !has(pl)) continue;
      out.set(pl.name, { plugin: pl, weight: ref.weight ?? out.get(pl.name)?.weight ?? DEFAULT_SCORE_WEIGHTS[pl.name] ?? 1 });
    }
  }
  return [...out.values()].filter((x) => point !== 'score' || x.weight > 0);
}

export function buildProfiles(config: SchedulerConfig = {}): Profile[] {
  const profiles = config.profiles?.length ? config.profiles : [{}];
  const seen = new Set<string>();
  return profiles.map((p) => {
    const schedulerName = p.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    if (seen.has(schedulerName)) throw new Error(`scheduler config: duplicate profile ${schedulerName}`);
    seen.add(schedulerName);
    const filters = resolvePoint(p, 'filter', (pl) => !!pl.filter).map((x) => x.plugin);
    return {
      schedulerName,
      // A filter's preFilter computes the state it reads, so the two are enabled together.
      filters,
      preFilters: filters.filter((pl) => !!pl.preFilter),
      scorers: resolvePoint(p, 'score', (pl) => !!pl.score),
      percentageOfNodesToScore: p.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
    };
  });
}
