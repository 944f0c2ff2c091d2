/**
 * Component/definition names of models as upstream's OpenAPI documents spell them, shared by v2 and
 * v3. Client-node's model names carry no group (`V1DeploymentSpec`), so a model takes the group of the
 * first kind (core first) whose schema reaches it: `io.k8s.api.apps.v1.DeploymentSpec`,
 * `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps`. Models with a group
 * prefix (`CoreV1Event`) and meta/v1 types keep the shared naming of names.ts.
 *
 * Input: the served kinds. Output: `DefinitionNames` (names decided at first reach, as a document
 * builder walks) and `modelNamesFor(kinds)`, the names over all served kinds, so that each v3
 * group-version document names a shared model (PodTemplateSpec) as every other document does.
 */
import type { KindDefinition } from '../../api/types.js';
import { schemaFor, type Schema } from '../../api/schema.js';
import { groupVersions } from '../handlers/discovery.js';
import { componentName } from './names.js';

/** Where upstream publishes a group's types when it is not `io.k8s.api.<first label>`. */
const GROUP_PACKAGES: Record<string, string> = {
  '': 'io.k8s.api.core',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  'metrics.k8s.io': 'io.k8s.metrics.pkg.apis.metrics',
};

export class DefinitionNames {
  private readonly byModel = new Map<string, string>();
  private readonly taken = new Set<string>();
  /** The group of the kind being walked: unnamed models reached now take its package. */
  group = '';

  has(model: string): boolean {
    return this.byModel.has(model);
  }

  of(model: string): string {
    const known = this.byModel.get(model);
    if (known) return known;
    let name = componentName(model);
    const m = /^(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(model);
    if (m && name.startsWith('io.k8s.api.core.')) {
      const pkg = GROUP_PACKAGES[this.group] ?? `io.k8s.api.${this.group.split('.')[0]}`;
      const candidate = `${pkg}.${m[1]!.toLowerCase()}.${m[2]}`;
      if (!this.taken.has(candidate)) name = candidate;
    }
    this.byModel.set(model, name);
    this.taken.add(name);
    return name;
  }
}

/** Served kinds, core group first (shared models such as PodTemplateSpec belong to core/v1). */
export function coreFirst(kinds: KindDefinition[]): ReturnType<typeof groupVersions> {
  return groupVersions(kinds).sort((x, y) => Number(x.group !== '') - Number(y.group !== ''));
}

function walk(model: string, names: DefinitionNames): void {
  if (names.has(model)) return;
  names.of(model);
  for (const sub of Object.values(schemaFor(model).properties)) {
    let leaf: Schema = sub;
    while (leaf.type === 'array' || leaf.type === 'map') leaf = leaf.type === 'array' ? leaf.items : leaf.values;
    if (leaf.type === 'object') walk(leaf.model, names);
  }
}

const cache = new WeakMap<KindDefinition[], { kinds: KindDefinition[]; names: DefinitionNames }>();

/**
 * Names of every model reachable from the served kinds, decided in the order the v2 document decides
 * them. Cached until the kind list changes (the same array can gain CRD kinds at runtime).
 */
export function modelNamesFor(kinds: KindDefinition[]): DefinitionNames {
  const hit = cache.get(kinds);
  if (hit && hit.kinds.length === kinds.length && hit.kinds.every((k, i) => k === kinds[i])) return hit.names;
  const names = new DefinitionNames();
  for (const gv of coreFirst(kinds)) {
    names.group = gv.group;
    for (const kind of gv.kinds) if (!kind.openAPISchema) walk(kind.model, names);
  }
  names.group = '';
  cache.set(kinds, { kinds: [...kinds], names });
  return names;
}
