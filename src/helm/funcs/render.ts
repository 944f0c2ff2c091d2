/**
 * helm's engine.Render loop: parse every chart template into one set named "gotpl" (deepest
 * paths first so parent charts' {{define}}s win), execute each non-partial file with
 * .Template.{Name,BasePath} set, replace "<no value>" with "", and turn errors into helm's
 * texts ("parse error at (FILE:LINE): ...", "execution error at (FILE:LINE:COL): ...").
 * include (recursion cap 1000) and tpl (parsed into a clone of the set) are wired here.
 */
import { TemplateExecError, TemplateParseError, TemplateSet, goQuote, type GoMap } from './engine.js';
import { helmFuncs, sprigFuncs, WARN_END, WARN_START, type LookupFn } from './helm.js';

export interface Renderable {
  /** Template source text. */
  template: string;
  /** The top-level object: { Values, Chart, Release, Capabilities, Files, ... }; gets .Template set. */
  values: GoMap;
  /** e.g. "mychart/templates" (helm: path.Join(chartFullPath, "templates")). */
  basePath: string;
}

export interface RenderOptions {
  /** helm --strict: missing keys are errors. */
  strict?: boolean;
  /** helm lint: required/fail log instead of failing. */
  lintMode?: boolean;
  lookup?: LookupFn;
  log?: (line: string) => void;
}

/** An error with helm's user-facing message (the CLI prints "Error: " + message). */
export class HelmRenderError extends Error {}

const RECURSION_MAX = 1000;

/** helm's sortTemplates: more path segments first, then reverse lexical order. */
export function sortTemplates(names: string[]): string[] {
  const slashes = (s: string) => s.split('/').length - 1;
  return [...names].sort((a, b) => {
    const d = slashes(b) - slashes(a);
    if (d !== 0) return d;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function cleanupParseError(filename: string, err: Error): HelmRenderError {
  const tokens = err.message.split(': ');
  if (tokens.length === 1) return new HelmRenderError(`parse error in (${filename}): ${err.message}`);
  return new HelmRenderError(`parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`);
}

const WARN_RE = new RegExp(`${WARN_START}(.*)${WARN_END}`);

function cleanupExecError(filename: string, err: unknown): Error {
  if (!(err instanceof TemplateExecError)) return err instanceof Error ? err : new Error(String(err));
  const msg = err.message;
  const first = msg.indexOf(': ');
  const second = first < 0 ? -1 : msg.indexOf(': ', first + 2);
  if (first < 0 || second < 0) return new HelmRenderError(`execution error in (${filename}): ${msg}`);
  const location = msg.slice(first + 2, second);
  const m = WARN_RE.exec(msg.slice(second + 2));
  if (m) return new HelmRenderError(`execution error at (${location}): ${m[1]}`);
  return new HelmRenderError(msg);
}

interface Engine { set: TemplateSet; included: Map<string, number> }

function bindFuncs(eng: Engine, opts: RenderOptions): void {
  const strict = !!opts.strict;
  eng.set.addFuncs(helmFuncs({
    lintMode: opts.lintMode,
    lookup: opts.lookup,
    log: opts.log,
    include: (name, data) => {
      const n = eng.included.get(name) ?? 0;
      if (n > RECURSION_MAX) throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
      eng.included.set(name, n + 1);
      try {
        return eng.set.execute(name, data);
      } catch (e) {
        if (e instanceof RangeError) throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
        throw e;
      } finally {
        eng.included.set(name, (eng.included.get(name) ?? 1) - 1);
      }
    },
    tpl: (text, vals) => {
      const child: Engine = { set: eng.set.clone({ missingKey: strict ? 'error' : 'zero' }), included: eng.included };
      bindFuncs(child, opts);
      try {
        child.set.parse(child.set.name, text);
      } catch (e) {
        throw new Error(`cannot parse template ${goQuote(text)}: ${(e as Error).message}`);
      }
      try {
        return child.set.execute(child.set.name, vals).replaceAll('<no value>', '');
      } catch (e) {
        throw new Error(`error during tpl function execution for ${goQuote(text)}: ${(e as Error).message}`);
      }
    },
  }));
}

/** Render every non-partial template; keys of the result are the template names. */
export function renderTemplates(tpls: Record<string, Renderable>, opts: RenderOptions = {}): Record<string, string> {
  const eng: Engine = { set: new TemplateSet({ name: 'gotpl', missingKey: opts.strict ? 'error' : 'zero' }), included: new Map() };
  bindFuncs(eng, opts);
  const keys = sortTemplates(Object.keys(tpls));
  for (const filename of keys) {
    try {
      eng.set.parse(filename, tpls[filename].template);
    } catch (e) {
      if (e instanceof TemplateParseError) throw cleanupParseError(filename, e);
      throw e;
    }
  }
  const rendered: Record<string, string> = {};
  for (const filename of keys) {
    const base = filename.slice(filename.lastIndexOf('/') + 1);
    if (base.startsWith('_')) continue;
    const r = tpls[filename];
    // Like helm, set .Template on the (per-chart, shared) values object itself, so top-level
    // `set . "k" v` in one file is visible to later files of the same chart.
    const vals: GoMap = r.values;
    vals.Template = { Name: filename, BasePath: r.basePath };
    try {
      rendered[filename] = eng.set.execute(filename, vals).replaceAll('<no value>', '');
    } catch (e) {
      throw cleanupExecError(filename, e);
    }
  }
  return rendered;
}

/**
 * helm's --name-template: parsed as template "name-template" with Sprig's TxtFuncMap (which,
 * unlike chart rendering, keeps env/expandenv) and executed with nil data.
 */
export function renderNameTemplate(text: string): string {
  if (text === '') return '';
  const set = new TemplateSet({ name: 'name-template', funcs: {
    ...sprigFuncs(),
    env: { fn: (k) => process.env[k as string] ?? '', params: ['string'] },
    expandenv: { fn: (s) => (s as string).replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_m, a?: string, b?: string) => process.env[a ?? b ?? ''] ?? ''), params: ['string'] },
  } });
  set.parse('name-template', text);
  return set.execute('name-template', null);
}
