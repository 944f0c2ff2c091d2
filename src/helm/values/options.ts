/**
 * The user-supplied values of one helm command (helm pkg/cli/values): `-f` files merged left to
 * right, then --set-json, --set, --set-string, --set-file, --set-literal, each applied in order.
 * Output: one HelmMap of user values (not yet coalesced with chart defaults).
 */
import { readFileSync } from 'node:fs';
import { parseSet, parseSetFile, parseSetJSON, parseSetLiteral, parseSetString } from './strvals.js';
import { isHelmMap, parseYamlMap, type HelmMap } from './yaml.js';

export interface ValueOptions {
  valueFiles: string[];
  jsonValues: string[];
  values: string[];
  stringValues: string[];
  fileValues: string[];
  literalValues: string[];
}

export function emptyValueOptions(): ValueOptions {
  return { valueFiles: [], jsonValues: [], values: [], stringValues: [], fileValues: [], literalValues: [] };
}

export type FileReader = (path: string) => string;

/** Reads a local file or `-` (stdin). Remote URLs are not supported offline. */
export const readLocalFile: FileReader = (path) => {
  if (path.trim() === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`);
    throw e;
  }
};

function mergeMaps(a: HelmMap, b: HelmMap): HelmMap {
  const out: HelmMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (isHelmMap(v) && isHelmMap(cur)) out[k] = mergeMaps(cur, v);
    else out[k] = v;
  }
  return out;
}

export function mergeUserValues(opts: ValueOptions, readFile: FileReader = readLocalFile): HelmMap {
  let base: HelmMap = {};
  for (const path of opts.valueFiles) {
    const text = readFile(path);
    let current: HelmMap;
    try {
      current = parseYamlMap(text);
    } catch (e) {
      throw new Error(`failed to parse ${path}: ${(e as Error).message}`);
    }
    base = mergeMaps(base, current);
  }
  for (const v of opts.jsonValues) {
    try { parseSetJSON(v, base); } catch { throw new Error(`failed parsing --set-json data ${v}`); }
  }
  for (const v of opts.values) {
    try { parseSet(v, base); } catch (e) { throw new Error(`failed parsing --set data: ${(e as Error).message}`); }
  }
  for (const v of opts.stringValues) {
    try { parseSetString(v, base); } catch (e) { throw new Error(`failed parsing --set-string data: ${(e as Error).message}`); }
  }
  for (const v of opts.fileValues) {
    try { parseSetFile(v, base, readFile); } catch (e) { throw new Error(`failed parsing --set-file data: ${(e as Error).message}`); }
  }
  for (const v of opts.literalValues) {
    try { parseSetLiteral(v, base); } catch (e) { throw new Error(`failed parsing --set-literal data: ${(e as Error).message}`); }
  }
  return base;
}
