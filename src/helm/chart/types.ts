/**
 * The in-memory chart (helm pkg/chart): metadata from Chart.yaml, default values, templates,
 * other files, the optional values schema, and loaded subcharts with parent links.
 */
import type { HelmMap, HelmValue } from '../values/yaml.js';

export interface Maintainer { name?: string; email?: string; url?: string }

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: HelmValue[];
  alias?: string;
}

/** Chart.yaml. Field names are the YAML ones; render.ts maps them to helm's Go names. */
export interface ChartMetadata {
  name: string;
  home?: string;
  sources?: string[];
  version: string;
  description?: string;
  keywords?: string[];
  maintainers?: (Maintainer | null)[];
  icon?: string;
  apiVersion: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: (ChartDependency | null)[];
  type?: string;
}

export interface ChartLock {
  generated?: string;
  digest?: string;
  dependencies?: ChartDependency[];
}

export interface ChartFile { name: string; data: Buffer }

export class Chart {
  metadata: ChartMetadata;
  lock?: ChartLock;
  templates: ChartFile[] = [];
  values: HelmMap = {};
  schema?: Buffer;
  files: ChartFile[] = [];
  /** Every file as loaded, for `helm show values` and packaging. */
  raw: ChartFile[] = [];
  parent?: Chart;
  dependencies: Chart[] = [];

  constructor(metadata: ChartMetadata) { this.metadata = metadata; }

  get name(): string { return this.metadata.name; }
  isRoot(): boolean { return this.parent === undefined; }

  setDependencies(charts: Chart[]): void {
    this.dependencies = [];
    for (const c of charts) { c.parent = this; this.dependencies.push(c); }
  }

  /** `parent/charts/child` path used for template names. */
  fullPath(): string {
    return this.parent ? `${this.parent.fullPath()}/charts/${this.name}` : this.name;
  }

  isLibrary(): boolean { return (this.metadata.type ?? '').toLowerCase() === 'library'; }

  /** CRD files (crds/*.yaml|yml|json) of this chart and its subcharts, with full paths. */
  crdObjects(): { name: string; filename: string; file: ChartFile }[] {
    const out: { name: string; filename: string; file: ChartFile }[] = [];
    for (const f of this.files) {
      if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/i.test(f.name)) {
        out.push({ name: f.name, filename: `${this.fullPath()}/${f.name}`, file: f });
      }
    }
    for (const d of this.dependencies) out.push(...d.crdObjects());
    return out;
  }

  /** A shallow copy (own metadata object) used when a dependency is aliased. */
  cloneWithName(name: string): Chart {
    const c = new Chart({ ...this.metadata, name });
    c.lock = this.lock;
    c.templates = this.templates;
    c.values = this.values;
    c.schema = this.schema;
    c.files = this.files;
    c.raw = this.raw;
    c.dependencies = this.dependencies;
    return c;
  }
}
