/**
 * The patch helm's upgrade sends for one object (pkg/kube/client.go createPatch): a three-way
 * strategic merge patch (src/machinery/strategic) for kinds with a built-in schema, otherwise a
 * three-way JSON merge patch (jsonmergepatch.CreateThreeWayJSONMergePatch): additions and changes
 * from live to new, deletions (null) from old manifest to new.
 */
import { hasModel } from '../../api/schema.js';
import { createThreeWayMergePatch } from '../../machinery/strategic/index.js';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** client-node model for a built-in kind (`apps/v1` Deployment -> V1Deployment), if there is one. */
export function builtinModel(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  const model = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return hasModel(model) ? model : undefined;
}

/** RFC 7386 diff from a to b (null marks a removed key). */
export function mergeDiff(a: Json, b: Json): Json {
  const out: Json = {};
  for (const [k, bv] of Object.entries(b)) {
    const av = a[k];
    if (!(k in a)) { out[k] = bv; continue; }
    if (isMap(av) && isMap(bv)) {
      const sub = mergeDiff(av, bv);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (JSON.stringify(av) !== JSON.stringify(bv)) {
      out[k] = bv;
    }
  }
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return out;
}

function keepNulls(p: Json, wantNulls: boolean): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(p)) {
    if (isMap(v)) {
      const sub = keepNulls(v, wantNulls);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if ((v === null) === wantNulls) {
      out[k] = v;
    }
  }
  return out;
}

function mergeInto(dst: Json, src: Json): Json {
  for (const [k, v] of Object.entries(src)) dst[k] = isMap(v) && isMap(dst[k]) ? mergeInto(dst[k] as Json, v) : v;
  return dst;
}

export function threeWayJsonMergePatch(original: Json, modified: Json, current: Json): Json {
  const additions = keepNulls(mergeDiff(current, modified), false);
  const deletions = keepNulls(mergeDiff(original, modified), true);
  return mergeInto(additions, deletions);
}

export function threeWayPatch(original: Json, target: { apiVersion: string; kind: string; object: Json }, current: Json): { patch: Json; type: string } {
  const model = builtinModel(target.apiVersion, target.kind);
  if (model) {
    return { patch: createThreeWayMergePatch(original, target.object, current, model) as Json, type: 'application/strategic-merge-patch+json' };
  }
  return { patch: threeWayJsonMergePatch(original, target.object, current), type: 'application/merge-patch+json' };
}
