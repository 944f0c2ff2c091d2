/**
 * The table of every kind the API server serves: core/v1 plus one `kinds` list per API group
 * folder under kinds/. Each entry is a KindDefinition (types.ts), the one source from which
 * validation, defaulting, discovery, OpenAPI and tables derive.
 *
 * Outputs: `allKinds()`, lookups by plural (`findKind`) and by kind (`findKindByKind`), and
 * `registerKind(def)` for definitions added at runtime (e.g. by the server for extra groups). A
 * registered definition replaces a built-in one with the same group/version/plural.
 */
import type { KindDefinition } from './types.js';
import { kinds as appsKinds } from './kinds/apps/index.js';
import { kinds as autoscalingKinds } from './kinds/autoscaling/index.js';
import { kinds as authorizationKinds } from './kinds/authorization/index.js';
import { kinds as batchKinds } from './kinds/batch/index.js';
import { kinds as coordinationKinds } from './kinds/coordination/index.js';
import { kinds as coreKinds } from './kinds/core/index.js';
import { kinds as discoveryKinds } from './kinds/discovery/index.js';
import { kinds as eventsKinds } from './kinds/events/index.js';
import { kinds as networkingKinds } from './kinds/networking/index.js';
import { kinds as policyKinds } from './kinds/policy/index.js';
import { kinds as rbacKinds } from './kinds/rbac/index.js';
import { kinds as schedulingKinds } from './kinds/scheduling/index.js';
import { kinds as storageKinds } from './kinds/storage/index.js';

export type { KindDefinition, KubeObject, ResourceInfo } from './types.js';
export { binding, eviction } from './kinds/core/index.js';

const builtIn: KindDefinition[] = [
  ...coreKinds,
  ...appsKinds,
  ...batchKinds,
  ...autoscalingKinds,
  ...networkingKinds,
  ...policyKinds,
  ...storageKinds,
  ...coordinationKinds,
  ...discoveryKinds,
  ...eventsKinds,
  ...schedulingKinds,
  ...rbacKinds,
  ...authorizationKinds,
];

const byPlural = new Map<string, KindDefinition>();
const byKind = new Map<string, KindDefinition>();

const pluralKey = (group: string, version: string, plural: string): string => `${group}/${version}/${plural}`;
const kindKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

/** Adds (or replaces) a kind in the table. */
export function registerKind(def: KindDefinition): void {
  const r = def.resource;
  byPlural.set(pluralKey(r.group, r.version, r.plural), def);
  byKind.set(kindKey(r.group, r.version, r.kind), def);
}

for (const def of builtIn) registerKind(def);

/** Every served kind, core first, in registration order. */
export function allKinds(): KindDefinition[] {
  return [...byPlural.values()];
}

/** The kind served at /api(s)/<group>/<version>/<plural>, if any. */
export function findKind(group: string, version: string, plural: string): KindDefinition | undefined {
  return byPlural.get(pluralKey(group, version, plural));
}

/** The kind with that group, version and Kind name, if served. */
export function findKindByKind(group: string, version: string, kind: string): KindDefinition | undefined {
  return byKind.get(kindKey(group, version, kind));
}
