/**
 * Loading a chart (helm pkg/chart/loader): from a directory (honouring .helmignore) or a gzipped
 * tar archive, into a Chart with subcharts from charts/ (directories and nested .tgz).
 * Input: a path. Output: a validated Chart, or an Error worded like helm's.
 */
import { readdirSync, readFileSync, statSync, lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYaml, parseYamlMap, type HelmMap } from '../values/yaml.js';
import { IgnoreRules } from './ignore.js';
import { applyMetadata, validateMetadata } from './metadata.js';
import { isGzip, readTgz } from './tar.js';
import { Chart, type ChartLock, type ChartMetadata } from './types.js';

export interface BufferedFile { name: string; data: Buffer }

const MAX_FILE_SIZE = 5 * 1024 * 1024;
const MAX_CHART_SIZE = 100 * 1024 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function trimBom(b: Buffer): Buffer { return b.subarray(0, 3).equals(BOM) ? b.subarray(3) : b; }

/** Load a chart directory or archive. */
export function loadChart(path: string): Chart {
  let st;
  try { st = statSync(path); } catch { throw new Error(`stat ${path}: no such file or directory`); }
  return st.isDirectory() ? loadDir(path) : loadArchiveFile(path);
}

export function loadArchiveFile(path: string): Chart {
  const data = readFileSync(path);
  if (!isGzip(data)) {
    if (path.endsWith('.yml') || path.endsWith('.yaml')) throw new Error(`file '${path}' seems to be a YAML file, but expected a gzipped archive`);
    throw new Error(`file '${path}' does not appear to be a gzipped archive; got '${sniffContentType(data)}'`);
  }
  return loadArchive(data);
}

function sniffContentType(data: Buffer): string {
  const head = data.subarray(0, 512);
  if (head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export function loadArchiveFiles(data: Buffer): BufferedFile[] {
  const files: BufferedFile[] = [];
  let remaining = MAX_CHART_SIZE;
  for (const entry of readTgz(data)) {
    if (entry.type === '5') continue;
    if (entry.type !== '0' && entry.type !== '7') continue;
    const delim = entry.name.includes('\\') ? '\\' : '/';
    const parts = entry.name.split(delim);
    let n = parts.slice(1).join('/');
    if (n.startsWith('/')) throw new Error('chart illegally contains absolute paths');
    n = cleanPath(n);
    if (n === '.') throw new Error(`chart illegally contains content outside the base directory: ${JSON.stringify(entry.name)}`);
    if (n.startsWith('..')) throw new Error('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(n)) throw new Error('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new Error('chart yaml not in base directory');
    if (entry.data.length > MAX_FILE_SIZE) throw new Error(`decompressed chart file ${JSON.stringify(entry.name)} is larger than the maximum file size ${MAX_FILE_SIZE}`);
    remaining -= entry.data.length;
    if (remaining <= 0) throw new Error(`decompressed chart is larger than the maximum file size ${MAX_CHART_SIZE}`);
    files.push({ name: n, data: trimBom(entry.data) });
  }
  if (files.length === 0) throw new Error('no files in chart archive');
  return files;
}

function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.length === 0 ? '.' : out.join('/');
}

export function loadArchive(data: Buffer): Chart {
  return loadFiles(loadArchiveFiles(data));
}

export function loadDir(dir: string): Chart {
  const top = resolve(dir);
  let rules = new IgnoreRules();
  const ignoreFile = join(top, '.helmignore');
  try {
    if (statSync(ignoreFile).isFile()) rules = IgnoreRules.parse(readFileSync(ignoreFile, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  rules.addDefaults();
  const files: BufferedFile[] = [];
  const walk = (abs: string, rel: string) => {
    const names = readdirSync(abs).sort();
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = rel === '' ? name : `${rel}/${name}`;
      let st = lstatSync(childAbs);
      if (st.isSymbolicLink()) st = statSync(childAbs);
      if (st.isDirectory()) {
        if (rules.ignore(childRel, true)) continue;
        walk(childAbs, childRel);
        continue;
      }
      if (rules.ignore(childRel, false)) continue;
      if (!st.isFile()) throw new Error(`cannot load irregular file ${childAbs} as it has file mode type bits set`);
      if (st.size > MAX_FILE_SIZE) throw new Error(`chart file ${JSON.stringify(name)} is larger than the maximum file size ${MAX_FILE_SIZE}`);
      files.push({ name: childRel, data: trimBom(readFileSync(childAbs)) });
    }
  };
  walk(top, '');
  return loadFiles(files);
}

function yamlDoc(f: BufferedFile, what: string) {
  try {
    return parseYaml(f.data.toString('utf8'));
  } catch (e) {
    throw new Error(`cannot load ${what}: error converting YAML to JSON: ${(e as Error).message}`);
  }
}

/** LoadFiles: assemble a chart from its files (names relative to the chart root). */
export function loadFiles(files: BufferedFile[]): Chart {
  let md: Partial<ChartMetadata> | undefined;
  for (const f of files) {
    if (f.name !== 'Chart.yaml') continue;
    md ??= {};
    applyMetadata(md, yamlDoc(f, 'Chart.yaml'));
    if (!md.apiVersion) md.apiVersion = 'v1';
  }
  const c = new Chart((md ?? {}) as ChartMetadata);
  const subcharts = new Map<string, BufferedFile[]>();
  for (const f of files) {
    c.raw.push({ name: f.name, data: f.data });
    if (f.name === 'Chart.yaml') continue;
    if (f.name === 'Chart.lock' || f.name === 'requirements.lock') {
      c.lock = parseLock(yamlDoc(f, f.name));
      if (f.name === 'requirements.lock') {
        md ??= {};
        if (md.apiVersion === 'v1') c.files.push({ name: f.name, data: f.data });
      }
    } else if (f.name === 'values.yaml') {
      try {
        c.values = parseYamlMap(f.data.toString('utf8'));
      } catch (e) {
        throw new Error(`cannot load values.yaml: ${(e as Error).message}`);
      }
    } else if (f.name === 'values.schema.json') {
      c.schema = f.data;
    } else if (f.name === 'requirements.yaml') {
      md ??= {};
      applyMetadata(md, yamlDoc(f, 'requirements.yaml'));
      if (md.apiVersion === 'v1') c.files.push({ name: f.name, data: f.data });
    } else if (f.name.startsWith('templates/')) {
      c.templates.push({ name: f.name, data: f.data });
    } else if (f.name.startsWith('charts/')) {
      if (f.name.endsWith('.prov')) { c.files.push({ name: f.name, data: f.data }); continue; }
      const rest = f.name.slice('charts/'.length);
      const cname = rest.split('/')[0];
      const list = subcharts.get(cname) ?? [];
      list.push({ name: rest, data: f.data });
      subcharts.set(cname, list);
    } else {
      c.files.push({ name: f.name, data: f.data });
    }
  }
  if (md === undefined) throw new Error('Chart.yaml file is missing');
  c.metadata = md as ChartMetadata;
  validateMetadata(c.metadata);

  const deps: Chart[] = [];
  for (const n of [...subcharts.keys()].sort()) {
    if (n.startsWith('_') || n.startsWith('.')) continue;
    const list = subcharts.get(n) ?? [];
    let sc: Chart;
    try {
      if (n.endsWith('.tgz')) {
        if (list[0].name !== n) throw new Error(`error unpacking subchart tar in ${c.name}: expected ${n}, got ${list[0].name}`);
        sc = loadArchive(list[0].data);
      } else {
        const inner = list.filter((f) => f.name.includes('/')).map((f) => ({ name: f.name.slice(f.name.indexOf('/') + 1), data: f.data }));
        sc = loadFiles(inner);
      }
    } catch (e) {
      throw new Error(`error unpacking subchart ${n} in ${c.name}: ${(e as Error).message}`);
    }
    deps.push(sc);
  }
  c.setDependencies(deps);
  return c;
}

function parseLock(doc: ReturnType<typeof parseYaml>): ChartLock {
  const lock: ChartLock = {};
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const m = doc as HelmMap;
    if (typeof m.generated === 'string') lock.generated = m.generated;
    if (typeof m.digest === 'string') lock.digest = m.digest;
    if (Array.isArray(m.dependencies)) {
      lock.dependencies = m.dependencies.filter((d): d is HelmMap => typeof d === 'object' && d !== null && !Array.isArray(d))
        .map((d) => ({ name: String(d.name ?? ''), version: d.version == null ? undefined : String(d.version), repository: d.repository == null ? undefined : String(d.repository) }));
    }
  }
  return lock;
}
