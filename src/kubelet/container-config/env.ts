/**
 * A container's environment, as upstream's kubelet makeEnvironmentVariables builds it:
 *
 * 1. envFrom sources in order (ConfigMap data or decoded Secret data, keys prefixed); a missing
 *    source is skipped when optional and fatal otherwise; keys that are not valid variable names are
 *    skipped and reported through `onInvalidKeys` (upstream's InvalidEnvironmentVariableNames event).
 * 2. env entries in order, each overriding what came before: `value` with `$(VAR)` expanded against
 *    the variables defined so far and then the service variables; or `valueFrom` (fieldRef,
 *    resourceFieldRef, configMapKeyRef, secretKeyRef — a missing optional ref skips the variable).
 * 3. service variables (`ctx.serviceEnv`) that the container did not define itself.
 *
 * Missing non-optional references throw ContainerConfigError with upstream's text
 * (`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`, `secret "x" not found`...).
 */
import type { KubeObject } from '../../api/types.js';
import { ContainerConfigError } from './errors.js';
import { expand, mappingFor } from './expansion.js';
import { fieldRefValue, resourceFieldRefValue, type FieldRefContext } from './field-ref.js';
import type { ObjectGetter } from './getter.js';
import { podIdentity, type Container } from './pod-spec.js';

export interface EnvContext extends FieldRefContext {
  /** Service link variables (FOO_SERVICE_HOST...), already filtered by enableServiceLinks. */
  serviceEnv?: Record<string, string>;
  /**
   * Whether envFrom keys follow the relaxed name rule (any printable ASCII but `=`; upstream's
   * RelaxedEnvironmentVariableValidation, on by default since 1.32) rather than `[-._a-zA-Z][-._a-zA-Z0-9]*`.
   * Default true.
   */
  relaxedEnvVarNames?: boolean;
  /** Called with upstream's event message when envFrom keys were skipped as invalid names. */
  onInvalidKeys?: (message: string) => void;
}

export interface EnvVarValue {
  key: string;
  value: string;
}

const STRICT_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Upstream IsEnvVarName (strict) or IsRelaxedEnvVarName. */
export function isValidEnvVarName(name: string, relaxed: boolean): boolean {
  if (relaxed) return name.length > 0 && /^[\x20-\x7e]+$/.test(name) && !name.includes('=');
  return STRICT_ENV_NAME.test(name) && name !== '.' && !name.startsWith('..');
}

type SourceKind = 'configmaps' | 'secrets';

/** The data of a ConfigMap (strings) or Secret (base64-decoded) as plain strings. */
function dataOf(kind: SourceKind, obj: KubeObject): Record<string, string> {
  const raw = obj.data;
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    out[k] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}

/** Fetches each referenced ConfigMap/Secret once; null = absent. */
class SourceCache {
  private readonly cache = new Map<string, Record<string, string> | null>();
  constructor(
    private readonly getter: ObjectGetter,
    private readonly namespace: string,
  ) {}

  async get(kind: SourceKind, name: string): Promise<Record<string, string> | null> {
    const key = `${kind}/${name}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    let obj: KubeObject | null;
    try {
      obj = await this.getter.get(kind, this.namespace, name);
    } catch (err) {
      // A NotFound StatusError means absent; any other failure fails the container config, as
      // every error of upstream's makeEnvironmentVariables does.
      if (isNotFound(err)) obj = null;
      else throw new ContainerConfigError(err instanceof Error ? err.message : String(err));
    }
    const data = obj ? dataOf(kind, obj) : null;
    this.cache.set(key, data);
    return data;
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; reason?: unknown } | null;
  return !!e && typeof e === 'object' && (e.code === 404 || e.reason === 'NotFound');
}

const notFoundText = (kind: SourceKind, name: string): string => `${kind === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`;

/** Resolves the container's environment (see the file comment). */
export async function resolveEnv(pod: KubeObject, container: Container, getter: ObjectGetter, ctx: EnvContext): Promise<EnvVarValue[]> {
  const { namespace } = podIdentity(pod);
  const sources = new SourceCache(getter, namespace);
  const relaxed = ctx.relaxedEnvVarNames ?? true;
  const vars = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind: SourceKind = from.configMapRef ? 'configmaps' : 'secrets';
    const name = ref.name ?? '';
    const data = await sources.get(kind, name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(notFoundText(kind, name));
    }
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const key = (from.prefix ?? '') + k;
      if (!isValidEnvVarName(key, relaxed)) invalid.push(key);
      else vars.set(key, v);
    }
    if (invalid.length > 0 && ctx.onInvalidKeys) {
      const what = kind === 'configmaps' ? 'configMap' : 'secret';
      ctx.onInvalidKeys(`Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`);
    }
  }

  const serviceEnv = new Map(Object.entries(ctx.serviceEnv ?? {}));
  const mapping = mappingFor(vars, serviceEnv);
  for (const env of container.env ?? []) {
    const value = await envValue(pod, container, env, ctx, sources, mapping, namespace);
    if (value !== undefined) vars.set(env.name, value);
  }

  const out: EnvVarValue[] = [...vars].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!vars.has(key)) out.push({ key, value });
  return out;
}

/** One env entry's value; undefined when an optional reference is missing (the variable is skipped). */
async function envValue(
  pod: KubeObject,
  container: Container,
  env: NonNullable<Container['env']>[number],
  ctx: EnvContext,
  sources: SourceCache,
  mapping: (name: string) => string,
  namespace: string,
): Promise<string | undefined> {
  if (env.value) return expand(env.value, mapping);
  const from = env.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef, ctx);
  if (from.resourceFieldRef) return resourceFieldRefValue(pod, container, from.resourceFieldRef, ctx.nodeAllocatable);
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (!keyRef) return '';
  const kind: SourceKind = from.configMapKeyRef ? 'configmaps' : 'secrets';
  const name = keyRef.name ?? '';
  const data = await sources.get(kind, name);
  if (!data) {
    if (keyRef.optional) return undefined;
    throw new ContainerConfigError(notFoundText(kind, name));
  }
  const value = data[keyRef.key];
  if (value !== undefined) return value;
  if (keyRef.optional) return undefined;
  throw new ContainerConfigError(`couldn't find key ${keyRef.key} in ${kind === 'configmaps' ? 'ConfigMap' : 'Secret'} ${namespace}/${name}`);
}
