/**
 * The node-groups file of the simulator (YAML): which simulated nodes to start and how fast their
 * pods move. Parsed into typed values; every problem is reported at once with its field path.
 *
 *   timings:                 # optional, Go durations
 *     startDelay: 1s         # createDelay, initDelay, startDelay, jobDuration, crashBackoffBase,
 *     jobDuration: 5s        # crashBackoffMax, deleteDelay
 *   nodeGroups:
 *   - name: worker           # node names worker-0, worker-1, ... (or namePrefix: ...)
 *     count: 10
 *     capacity: {cpu: "16", memory: 64Gi, pods: "110", ephemeral-storage: 200Gi}
 *     labels: {pool: general}
 *     taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fieldErrorMessage, type FieldError } from '../../machinery/errors.js';
import { parseGoDuration } from '../../machinery/duration.js';
import type { Taint } from './node-objects.js';
import type { SimTimings } from './types.js';

export interface SimNodeGroup {
  namePrefix: string;
  count: number;
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
}

export interface SimNodeGroupsFile {
  nodeGroups: SimNodeGroup[];
  timings?: Partial<SimTimings>;
}

const TIMING_FIELDS: Record<string, keyof SimTimings> = {
  createDelay: 'createDelayMs',
  initDelay: 'initDelayMs',
  startDelay: 'startDelayMs',
  jobDuration: 'jobDurationMs',
  crashBackoffBase: 'crashBackoffBaseMs',
  crashBackoffMax: 'crashBackoffMaxMs',
  deleteDelay: 'deleteDelayMs',
};
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function stringMap(v: unknown, field: string, errs: FieldError[], numbersOk = false): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errs.push({ type: 'TypeInvalid', field, value: v, detail: 'must be a map of strings' });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || (numbersOk && typeof val === 'number')) out[k] = String(val);
    else errs.push({ type: 'TypeInvalid', field: `${field}.${k}`, value: val, detail: 'must be a string' });
  }
  return out;
}

function parseTaints(v: unknown, field: string, errs: FieldError[]): Taint[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    errs.push({ type: 'TypeInvalid', field, value: v, detail: 'must be a list' });
    return undefined;
  }
  return v.map((raw, i) => {
    const t = isObj(raw) ? raw : {};
    const f = `${field}[${i}]`;
    if (typeof t.key !== 'string' || !t.key) errs.push({ type: 'Required', field: `${f}.key` });
    if (!EFFECTS.includes(String(t.effect))) errs.push({ type: 'NotSupported', field: `${f}.effect`, value: t.effect, detail: `supported values: ${EFFECTS.map((e) => `"${e}"`).join(', ')}` });
    const taint: Taint = { key: String(t.key ?? ''), effect: t.effect as Taint['effect'] };
    if (t.value !== undefined) taint.value = String(t.value);
    return taint;
  });
}

function parseTimings(v: unknown, errs: FieldError[]): Partial<SimTimings> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errs.push({ type: 'TypeInvalid', field: 'timings', value: v, detail: 'must be a map' });
    return undefined;
  }
  const out: Partial<SimTimings> = {};
  for (const [k, val] of Object.entries(v)) {
    const target = TIMING_FIELDS[k];
    if (!target) {
      errs.push({ type: 'NotSupported', field: `timings.${k}`, value: k, detail: `supported values: ${Object.keys(TIMING_FIELDS).join(', ')}` });
      continue;
    }
    try {
      const ms = parseGoDuration(String(val));
      if (ms < 0) throw new Error('negative');
      out[target] = ms;
    } catch {
      errs.push({ type: 'Invalid', field: `timings.${k}`, value: val, detail: 'must be a non-negative duration such as 500ms or 2s' });
    }
  }
  return out;
}

/** Parses the YAML text of a node-groups file; throws an Error listing every problem. */
export function parseSimConfig(text: string): SimNodeGroupsFile {
  const doc: unknown = parseYaml(text);
  const errs: FieldError[] = [];
  const root = isObj(doc) ? doc : {};
  if (!isObj(doc)) errs.push({ type: 'TypeInvalid', field: '<root>', detail: 'must be a map' });
  const groupsRaw = root.nodeGroups;
  if (!Array.isArray(groupsRaw)) errs.push({ type: 'Required', field: 'nodeGroups', detail: 'a list of node groups' });
  const seen = new Set<string>();
  const nodeGroups = (Array.isArray(groupsRaw) ? groupsRaw : []).map((raw, i): SimNodeGroup => {
    const f = `nodeGroups[${i}]`;
    const g = isObj(raw) ? raw : {};
    const prefix = typeof g.namePrefix === 'string' ? g.namePrefix : typeof g.name === 'string' ? `${g.name}-` : '';
    if (!prefix) errs.push({ type: 'Required', field: `${f}.name`, detail: 'name or namePrefix' });
    else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9-])?$/.test(prefix)) errs.push({ type: 'Invalid', field: `${f}.name`, value: prefix, detail: 'node names must be lowercase DNS subdomains' });
    if (seen.has(prefix)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: prefix });
    seen.add(prefix);
    const count = g.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) errs.push({ type: 'Invalid', field: `${f}.count`, value: count, detail: 'must be a non-negative integer' });
    const group: SimNodeGroup = { namePrefix: prefix, count: typeof count === 'number' ? count : 0 };
    const capacity = stringMap(g.capacity, `${f}.capacity`, errs, true);
    const labels = stringMap(g.labels, `${f}.labels`, errs);
    const taints = parseTaints(g.taints, `${f}.taints`, errs);
    if (capacity) group.capacity = capacity;
    if (labels) group.labels = labels;
    if (taints) group.taints = taints;
    return group;
  });
  const timings = parseTimings(root.timings, errs);
  if (errs.length) throw new Error(`invalid sim config: ${errs.map(fieldErrorMessage).join('; ')}`);
  return timings ? { nodeGroups, timings } : { nodeGroups };
}

export function loadSimConfig(path: string): SimNodeGroupsFile {
  return parseSimConfig(readFileSync(path, 'utf8'));
}
