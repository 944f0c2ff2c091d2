/**
 * The files of configMap, secret, downwardAPI and projected volumes (upstream's MakePayload /
 * CollectData / collectData in pkg/volume/{configmap,secret,downwardapi,projected}).
 *
 * Input: the volume source, the pod and where to read objects (VolumeSources, plus a token cache).
 * Output: a Payload (relative path -> bytes + mode) for the atomic writer, or a PluginError whose
 * message is upstream's (`configmap "x" not found`, `configmap references non-existent config key: k`).
 */
import type { KubeObject } from '../../api/types.js';
import type { Payload } from './atomic-writer.js';
import { fieldRefValue, resourceFieldRefValue } from './downward-api.js';
import type { ServiceAccountTokenCache } from './token-cache.js';
import { PluginError, recordField, type DownwardAPIVolumeFile, type KeyToPath, type VolumeProjection, type VolumeSources } from './types.js';

/** Upstream's default file mode for every payload volume (0644). */
export const DEFAULT_MODE = 0o644;

export interface PayloadContext {
  pod: KubeObject;
  sources: VolumeSources;
  tokens: ServiceAccountTokenCache;
  nodeAllocatable?: Record<string, string>;
  /** fsGroup is set: token files are written 0600 and opened to the group by the ownership pass, as upstream. */
  fsGroupSet: boolean;
}

interface KeyedSource {
  items?: KeyToPath[];
  optional?: boolean;
}

/** Decoded data of a ConfigMap (data + binaryData) or Secret (data, base64). */
function objectData(kind: 'configmap' | 'secret', obj: KubeObject | null): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!obj) return out;
  for (const [k, v] of Object.entries(recordField(obj, 'data'))) {
    if (typeof v !== 'string') continue;
    out.set(k, kind === 'secret' ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8'));
  }
  if (kind === 'configmap') {
    for (const [k, v] of Object.entries(recordField(obj, 'binaryData'))) {
      if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64'));
    }
  }
  return out;
}

/** MakePayload of the configmap and secret plugins: every key, or just `items` (missing keys fail unless optional). */
function keyedPayload(kind: 'configmap' | 'secret', data: Map<string, Buffer>, src: KeyedSource, defaultMode: number): Payload {
  const payload: Payload = new Map();
  if (!src.items || src.items.length === 0) {
    for (const [k, v] of data) payload.set(k, { data: v, mode: defaultMode });
    return payload;
  }
  for (const item of src.items) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (src.optional) continue;
      throw new PluginError(kind === 'configmap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    payload.set(normalize(item.path), { data: value, mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** filepath.Clean of a relative payload path. */
function normalize(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

async function fetchKeyed(ctx: PayloadContext, kind: 'configmap' | 'secret', name: string | undefined, src: KeyedSource, defaultMode: number): Promise<Payload> {
  const namespace = ctx.pod.metadata?.namespace ?? 'default';
  const obj = await ctx.sources.get(kind === 'configmap' ? 'configmaps' : 'secrets', namespace, name ?? '');
  if (!obj && !src.optional) throw new PluginError(`${kind} "${name ?? ''}" not found`);
  return keyedPayload(kind, objectData(kind, obj), src, defaultMode);
}

export function configMapPayload(ctx: PayloadContext, src: { name?: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number }): Promise<Payload> {
  return fetchKeyed(ctx, 'configmap', src.name, src, src.defaultMode ?? DEFAULT_MODE);
}

export function secretPayload(ctx: PayloadContext, src: { secretName?: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number }): Promise<Payload> {
  return fetchKeyed(ctx, 'secret', src.secretName, src, src.defaultMode ?? DEFAULT_MODE);
}

/** CollectData of the downwardAPI plugin; every failing item is reported (aggregated as upstream). */
export function downwardAPIPayload(ctx: PayloadContext, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items ?? []) {
    const mode = item.mode ?? defaultMode;
    try {
      let value = '';
      if (item.fieldRef) value = fieldRefValue(ctx.pod, item.fieldRef);
      else if (item.resourceFieldRef) value = resourceFieldRefValue(ctx.pod, item.resourceFieldRef, ctx.nodeAllocatable);
      payload.set(normalize(item.path), { data: Buffer.from(value, 'utf8'), mode });
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new PluginError(aggregate(errors));
  return payload;
}

/** utilerrors.NewAggregate's message: the one error, or `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

/** collectData of the projected plugin: every source merged into one payload; failures aggregated. */
export async function projectedPayload(ctx: PayloadContext, volumeName: string, sources: VolumeProjection[] | undefined, defaultMode = DEFAULT_MODE): Promise<Payload> {
  const payload: Payload = new Map();
  const errors: string[] = [];
  const merge = (p: Payload) => {
    for (const [k, v] of p) payload.set(k, v);
  };
  for (const [index, source] of (sources ?? []).entries()) {
    try {
      if (source.secret) merge(await fetchKeyed(ctx, 'secret', source.secret.name, source.secret, defaultMode));
      else if (source.configMap) merge(await fetchKeyed(ctx, 'configmap', source.configMap.name, source.configMap, defaultMode));
      else if (source.downwardAPI) merge(downwardAPIPayload(ctx, source.downwardAPI.items, defaultMode));
      else if (source.serviceAccountToken) {
        const tp = source.serviceAccountToken;
        const token = await ctx.tokens.get(ctx.pod, `${volumeName}/${index}`, tp.audience, tp.expirationSeconds ?? 3600);
        payload.set(normalize(tp.path), { data: Buffer.from(token, 'utf8'), mode: ctx.fsGroupSet ? 0o600 : defaultMode });
      }
      // clusterTrustBundle: not served by Skiff's API server yet; skipped.
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new PluginError(aggregate(errors));
  return payload;
}
