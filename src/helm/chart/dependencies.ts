/**
 * Dependency processing before rendering (helm pkg/chartutil/dependencies.go): aliases, enabling
 * and disabling subcharts by `tags` and `condition`, and `import-values` (child values copied
 * into the parent). Mutates the chart tree, exactly like helm's ProcessDependenciesWithMerge.
 */
import { coalesceTables, coalesceValues, deepCopy, mergeTables, mergeValues, type Warn } from '../values/coalesce.js';
import { isHelmMap, type HelmMap, type HelmValue } from '../values/yaml.js';
import { isCompatibleRange } from './semver.js';
import type { Chart, ChartDependency } from './types.js';

const defaultWarn: Warn = (m) => { process.stderr.write(`${m}\n`); };

/** ProcessDependenciesWithMerge (merge=true) or ProcessDependencies (merge=false). */
export function processDependencies(c: Chart, vals: HelmMap, merge = true, warn: Warn = defaultWarn): void {
  processDependencyEnabled(c, vals, '', warn);
  processDependencyImportValues(c, merge, warn);
}

/** Values.PathValue: a non-table value at a dotted path, or undefined. */
function pathValue(vals: HelmMap, path: string): { found: boolean; value?: HelmValue } {
  const parts = path.split('.');
  const key = parts.pop() as string;
  let table: HelmMap = vals;
  for (const p of parts) {
    const next = table[p];
    if (!isHelmMap(next)) return { found: false };
    table = next;
  }
  if (key in table && !isHelmMap(table[key])) return { found: true, value: table[key] };
  return { found: false };
}

/** Values.Table: the map at a dotted path, or undefined. */
export function tableAt(vals: HelmMap, path: string): HelmMap | undefined {
  let table: HelmMap = vals;
  for (const p of path.split('.')) {
    const next = table[p];
    if (!isHelmMap(next)) return undefined;
    table = next;
  }
  return table;
}

function processConditions(reqs: ChartDependency[], cvals: HelmMap, cpath: string, warn: Warn): void {
  for (const r of reqs) {
    for (const cond of (r.condition ?? '').trim().split(',')) {
      if (cond.length === 0) continue;
      const pv = pathValue(cvals, cpath + cond);
      if (!pv.found) continue;
      if (typeof pv.value === 'boolean') { r.enabled = pv.value; break; }
      warn(`Warning: Condition path '${cond}' for chart ${r.name} returned non-bool value`);
    }
  }
}

function processTags(reqs: ChartDependency[], cvals: HelmMap, warn: Warn): void {
  const vt = tableAt(cvals, 'tags');
  if (!vt) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!(k in vt)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') { if (b) hasTrue = true; else hasFalse = true; }
      else warn(`Warning: Tag '${k}' for chart ${r.name} returned non-bool value`);
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else if (hasTrue || (!hasTrue && !hasFalse)) r.enabled = true;
  }
}

function aliasDependency(charts: Chart[], dep: ChartDependency): Chart | undefined {
  for (const c of charts) {
    if (c.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version ?? '', c.metadata.version)) continue;
    return c.cloneWithName(dep.alias ? dep.alias : c.name);
  }
  return undefined;
}

function processDependencyEnabled(c: Chart, v: HelmMap, path: string, warn: Warn): void {
  if (!c.metadata.dependencies) return;
  const reqs = c.metadata.dependencies.filter((d): d is ChartDependency => d !== null);
  const chartDeps: Chart[] = [];
  for (const existing of c.dependencies) {
    const declared = reqs.some((r) => existing.name === r.name && isCompatibleRange(r.version ?? '', existing.metadata.version));
    if (!declared) chartDeps.push(existing);
  }
  for (const req of reqs) {
    const dep = aliasDependency(c.dependencies, req);
    if (dep) chartDeps.push(dep);
    if (req.alias) req.name = req.alias;
  }
  c.setDependencies(chartDeps);
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(c, v, warn);
  processTags(reqs, cvals, warn);
  processConditions(reqs, cvals, path, warn);
  const removed = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const kept = c.dependencies.filter((d) => !removed.has(d.name));
  const keptMeta = reqs.filter((r) => !removed.has(r.name));
  for (const t of kept) processDependencyEnabled(t, cvals, `${path}${t.name}.`, warn);
  c.metadata.dependencies = keptMeta;
  c.setDependencies(kept);
}

function pathToMap(path: string, data: HelmMap): HelmMap {
  if (path === '.') return data;
  let cur: HelmMap = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) cur = { [parts[i]]: cur };
  return cur;
}

function processImportValues(c: Chart, merge: boolean, warn: Warn): void {
  if (!c.metadata.dependencies) return;
  const cvals = merge ? mergeValues(c, null, warn) : coalesceValues(c, null, warn);
  let b: HelmMap = {};
  for (const r of c.metadata.dependencies) {
    if (r === null) continue;
    const out: HelmValue[] = [];
    for (const riv of r['import-values'] ?? []) {
      let child: string;
      let parent: string;
      if (isHelmMap(riv)) {
        child = goSprint(riv.child);
        parent = goSprint(riv.parent);
      } else if (typeof riv === 'string') {
        child = `exports.${riv}`;
        parent = '.';
      } else {
        continue;
      }
      out.push({ child, parent });
      const vv = tableAt(cvals, `${r.name}.${child}`);
      if (!vv) {
        const missing = firstMissingTable(cvals, `${r.name}.${child}`);
        warn(isHelmMap(riv)
          ? `Warning: ImportValues missing table from chart ${r.name}: "${missing}" is not a table`
          : `Warning: ImportValues missing table: "${missing}" is not a table`);
        continue;
      }
      const src = isHelmMap(riv) ? pathToMap(parent, deepCopy(vv)) : deepCopy(vv);
      b = merge ? mergeTables(b, src, warn) : coalesceTables(b, src, warn);
    }
    r['import-values'] = out;
  }
  c.values = merge ? mergeTables(deepCopy(cvals), b, warn) : coalesceTables(trimNil(cvals), b, warn);
}

function firstMissingTable(vals: HelmMap, path: string): string {
  let table: HelmMap = vals;
  for (const p of path.split('.')) {
    const next = table[p];
    if (!isHelmMap(next)) return p;
    table = next;
  }
  return path;
}

function goSprint(v: HelmValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

function trimNil(vals: HelmMap): HelmMap {
  const out: HelmMap = {};
  for (const [k, v] of Object.entries(vals)) {
    if (v === null) continue;
    out[k] = isHelmMap(v) ? trimNil(v) : deepCopy(v);
  }
  return out;
}

function processDependencyImportValues(c: Chart, merge: boolean, warn: Warn): void {
  for (const d of c.dependencies) processDependencyImportValues(d, merge, warn);
  processImportValues(c, merge, warn);
}
