/**
 * Rendering a chart the way helm's engine does (pkg/engine/engine.go):
 *  - every template of the chart and its (enabled) subcharts is named `<chart>/templates/x`
 *    or `<chart>/charts/<sub>/templates/x`, and sees its own scope: .Values (the subchart's
 *    table), .Chart, .Files, .Release, .Capabilities, .Subcharts and .Template {Name, BasePath};
 *  - all templates are parsed into one set (deepest paths first) so `define`s are shared, then
 *    every non-partial (`_*`) template is executed; "<no value>" is removed from the output;
 *  - include / tpl / required / fail are helm's, with helm's error rewriting
 *    (`parse error at (...)`, `execution error at (...): <message>`).
 * Input: a Chart after dependency processing and the top-level render values. Output: a map
 * from template name to rendered text.
 */
import { TemplateExecError, TemplateSet, type FuncMap } from './engine/index.js';
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
  /** Sprig and helm functions (toYaml, lookup, ...) from src/helm/funcs. */
  funcs?: FuncMap;
  /** missingkey=error (helm --strict / lint --strict). */
  strict?: boolean;
  /** lint mode: `required` and `fail` only log. */
  lintMode?: boolean;
  log?: (message: string) => void;
}

interface Renderable { text: string; vals: Record<string, unknown>; basePath: string }

const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';
const RECURSION_MAX = 1000;

function collect(c: Chart, out: Map<string, Renderable>, parentVals: Record<string, unknown>): Record<string, unknown> {
  const subcharts: Record<string, unknown> = {};
  let values: HelmMap = {};
  if (c.isRoot()) values = parentVals.Values as HelmMap;
  else {
    const pv = parentVals.Values;
    if (isHelmMap(pv as HelmMap) && isHelmMap((pv as HelmMap)[c.name])) values = (pv as HelmMap)[c.name] as HelmMap;
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
    out.set(`${prefix}/${t.name}`, { text: t.data.toString('utf8'), vals: next, basePath: `${prefix}/templates` });
  }
  return next;
}

function slashes(s: string): number { return s.split('/').length - 1; }

/** Deepest paths first; equal depth in reverse lexical order (sort.Reverse(byPathLen)). */
export function sortTemplateNames(names: string[]): string[] {
  return [...names].sort((a, b) => {
    const d = slashes(b) - slashes(a);
    if (d !== 0) return d;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function parseErrorMessage(filename: string, msg: string): string {
  const tokens = msg.split(': ');
  if (tokens.length === 1) return `parse error in (${filename}): ${msg}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}

function execErrorMessage(filename: string, err: unknown): Error {
  if (!(err instanceof TemplateExecError)) return err instanceof Error ? err : new Error(String(err));
  const msg = err.message;
  const first = msg.indexOf(': ');
  const second = first < 0 ? -1 : msg.indexOf(': ', first + 2);
  if (first < 0 || second < 0) return new Error(`execution error in (${filename}): ${msg}`);
  const location = msg.slice(first + 2, second);
  const rest = msg.slice(second + 2);
  const m = /HELM_ERR_START([\s\S]*)HELM_ERR_END/.exec(rest);
  if (m) return new Error(`execution error at (${location}): ${m[1]}`);
  return err;
}

class HelmTemplates {
  private readonly included = new Map<string, number>();
  private readonly sources: [string, string][] = [];
  readonly set: TemplateSet;

  constructor(private readonly opts: EngineOptions) {
    this.set = this.newSet();
  }

  private newSet(): TemplateSet {
    const set = new TemplateSet({ name: 'gotpl', missingKey: this.opts.strict ? 'error' : 'zero', funcs: this.opts.funcs ?? {} });
    set.addFuncs(this.helmFuncs(set));
    return set;
  }

  parse(name: string, text: string): void {
    this.set.parse(name, text);
    this.sources.push([name, text]);
  }

  private helmFuncs(set: TemplateSet): FuncMap {
    const lint = this.opts.lintMode === true;
    const log = this.opts.log ?? (() => undefined);
    return {
      include: (name: unknown, data: unknown) => {
        const n = String(name);
        const count = this.included.get(n) ?? 0;
        if (count > RECURSION_MAX) throw new Error(`rendering template has a nested reference name: ${n}: unable to execute template`);
        this.included.set(n, count + 1);
        try { return set.execute(n, data); } finally { this.included.set(n, (this.included.get(n) ?? 1) - 1); }
      },
      tpl: (text: unknown, vals: unknown) => this.tpl(String(text), vals),
      required: (warn: unknown, val: unknown) => {
        if (val === null || val === undefined || val === '') {
          if (lint) { log(`[INFO] Missing required value: ${String(warn)}`); return ''; }
          throw new Error(`${WARN_START}${String(warn)}${WARN_END}`);
        }
        return val;
      },
      fail: (msg: unknown) => {
        if (lint) { log(`[INFO] Fail: ${String(msg)}`); return ''; }
        throw new Error(`${WARN_START}${String(msg)}${WARN_END}`);
      },
      getHostByName: () => '',
    };
  }

  private tplBase: TemplateSet | undefined;

  /** A copy of the template set with every chart template parsed (Go's parent.Clone()). */
  private cloneSet(): TemplateSet {
    const clone = this.newSet();
    for (const [n, src] of this.sources) clone.parse(n, src);
    return clone;
  }

  /** tpl: render `text` in a copy of the template set. Texts without define/block share one
   *  cached copy (parsing them cannot add templates); others get a fresh copy so their
   *  definitions stay local, as in helm. */
  private tpl(text: string, vals: unknown): string {
    const definesTemplates = /\{\{-?\s*(define|block)\b/.test(text);
    // An empty tree would not replace the cached copy's previous "gotpl": use a fresh copy.
    const emptyTree = text.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '').trim() === '';
    const set = definesTemplates || emptyTree ? this.cloneSet() : (this.tplBase ??= this.cloneSet());
    try {
      set.parse('gotpl', text);
    } catch (e) {
      throw new Error(`cannot parse template ${JSON.stringify(text)}: ${(e as Error).message}`);
    }
    try {
      return set.execute('gotpl', vals).split('<no value>').join('');
    } catch (e) {
      throw new Error(`error during tpl function execution for ${JSON.stringify(text)}: ${(e as Error).message}`);
    }
  }
}

/** Render every template of the chart tree. */
export function renderChartTemplates(chart: Chart, top: TopValues, opts: EngineOptions = {}): Map<string, string> {
  const templates = new Map<string, Renderable>();
  collect(chart, templates, top as unknown as Record<string, unknown>);
  const keys = sortTemplateNames([...templates.keys()]);
  const engine = new HelmTemplates(opts);
  for (const name of keys) {
    try {
      engine.parse(name, (templates.get(name) as Renderable).text);
    } catch (e) {
      throw new Error(parseErrorMessage(name, (e as Error).message));
    }
  }
  const rendered = new Map<string, string>();
  for (const name of keys) {
    if (name.slice(name.lastIndexOf('/') + 1).startsWith('_')) continue;
    const r = templates.get(name) as Renderable;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    let out: string;
    try {
      out = engine.set.execute(name, r.vals);
    } catch (e) {
      throw execErrorMessage(name, e);
    }
    rendered.set(name, out.split('<no value>').join(''));
  }
  return rendered;
}
