/**
 * Rendering a chart the way helm's engine does (pkg/engine/engine.go):
 *  - every template of the chart and its (enabled) subcharts is named `<chart>/templates/x`
 *    or `<chart>/charts/<sub>/templates/x`, and sees its own scope: .Values (the subchart's
 *    table), .Chart, .Files, .Release, .Capabilities, .Subcharts and .Template {Name, BasePath};
 *  - library charts contribute only their partials (`_*` files);
 *  - the render loop itself (one template set, deepest paths first, include/tpl/required/fail,
 *    helm's error texts, "<no value>" removal) is src/helm/funcs' renderTemplates.
 * Input: a Chart after dependency processing and the top-level render values. Output: a map
 * from template name to rendered text.
 */
import { renderTemplates, type LookupFn, type Renderable } from './funcs/index.js';
import { Files } from './chart/files.js';
import type { Chart } from './chart/types.js';
import { ChartObject } from './render-data.js';
import { isHelmMap, type HelmMap } from './values/yaml.js';

export interface TopValues {
  Values: HelmMap;
  Release: Record<string, unknown>;
  Capabilities: unknown;
}

export interface EngineOptions {
  /** `lookup` implementation (helm template: none, so lookups return empty maps). */
  lookup?: LookupFn;
  /** missingkey=error (helm --strict / lint --strict). */
  strict?: boolean;
  /** lint mode: `required` and `fail` only log. */
  lintMode?: boolean;
  log?: (message: string) => void;
}

function collect(c: Chart, out: Record<string, Renderable>, parentVals: Record<string, unknown>): Record<string, unknown> {
  const subcharts: Record<string, unknown> = {};
  let values: HelmMap = {};
  if (c.isRoot()) values = parentVals.Values as HelmMap;
  else {
    const pv = parentVals.Values as HelmMap | undefined;
    if (pv && isHelmMap(pv) && isHelmMap(pv[c.name])) values = pv[c.name] as HelmMap;
  }
  const next: Record<string, unknown> = {
    Chart: new ChartObject(c),
    Files: new Files(c.files),
    Release: parentVals.Release,
    Capabilities: parentVals.Capabilities,
    Values: values,
    Subcharts: subcharts,
  };
  for (const child of c.dependencies) subcharts[child.name] = collect(child, out, next);
  const prefix = c.fullPath();
  for (const t of c.templates) {
    const base = t.name.slice(t.name.lastIndexOf('/') + 1);
    if (c.isLibrary() && !base.startsWith('_')) continue;
    out[`${prefix}/${t.name}`] = { template: t.data.toString('utf8'), values: next, basePath: `${prefix}/templates` };
  }
  return next;
}

/** Render every template of the chart tree. Throws Error with helm's message text. */
export function renderChartTemplates(chart: Chart, top: TopValues, opts: EngineOptions = {}): Map<string, string> {
  const templates: Record<string, Renderable> = {};
  collect(chart, templates, top as unknown as Record<string, unknown>);
  const rendered = renderTemplates(templates, { strict: opts.strict, lintMode: opts.lintMode, log: opts.log, lookup: opts.lookup });
  return new Map(Object.entries(rendered));
}
