/**
 * Finds the Sprig + helm template functions from src/helm/funcs (written alongside this CLI) at
 * run time, so the CLI works before and after that module lands. Accepts a module exporting a
 * FuncMap object or a function returning one under any of the names below.
 */
import type { FuncMap } from '../../helm/engine/index.js';
import { useYamlMarshaller } from '../../helm/values/marshal.js';

const CANDIDATES = ['helmFuncMap', 'funcMap', 'helmFuncs', 'createFuncMap', 'sprigFuncMap', 'sprigFuncs', 'funcs', 'default'];

let cached: FuncMap | undefined;

/** Install the exact go-yaml emitter from src/helm/funcs when it loads. */
async function loadYamlEmitter(): Promise<void> {
  try {
    const path = '../../helm/funcs/yaml-emit.js';
    const mod = (await import(path)) as { marshalYaml?: (v: unknown) => string };
    if (typeof mod.marshalYaml === 'function') useYamlMarshaller(mod.marshalYaml);
  } catch { /* keep the approximation */ }
}

export async function loadTemplateFuncs(): Promise<FuncMap> {
  if (cached) return cached;
  await loadYamlEmitter();
  let mod: Record<string, unknown> = {};
  try {
    const path = '../../helm/funcs/index.js';
    mod = (await import(path)) as Record<string, unknown>;
  } catch {
    mod = {};
  }
  for (const name of CANDIDATES) {
    const v = mod[name];
    if (typeof v === 'function') {
      try {
        const r = (v as () => unknown)();
        if (r && typeof r === 'object') { cached = r as FuncMap; return cached; }
      } catch { /* not a factory */ }
    } else if (v && typeof v === 'object') {
      cached = v as FuncMap;
      return cached;
    }
  }
  cached = {};
  return cached;
}
