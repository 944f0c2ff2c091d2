/** Query parameters of resource requests, parsed and checked (bad values are 400s, never 500s). */
import { StatusError, badRequest } from '../../machinery/errors.js';
import type { DeleteOptions, FieldValidation, ListOptions, PropagationPolicy, WatchOptions, WriteOptions } from '../../registry/options.js';

function intParam(q: URLSearchParams, name: string, min = 0): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d{1,12}$/.test(v) || Number(v) < min) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (v === '' || v === 'true' || v === '1' || v === 'True') return true;
  if (v === 'false' || v === '0' || v === 'False') return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
}

export function writeOptions(q: URLSearchParams): WriteOptions {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All') throw new StatusError('BadRequest', `Invalid dryRun value: ${JSON.stringify(d)}; only "All" is supported`);
  }
  const fv = q.get('fieldValidation') ?? 'Ignore';
  const allowed: FieldValidation[] = ['Strict', 'Warn', 'Ignore'];
  if (!allowed.includes(fv as FieldValidation)) {
    throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  const fieldManager = q.get('fieldManager') ?? undefined;
  if (fieldManager !== undefined && fieldManager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return { dryRun: dryRun.length > 0, fieldValidation: fv as FieldValidation, fieldManager };
}

export function listOptions(q: URLSearchParams): ListOptions {
  const limit = intParam(q, 'limit', 0);
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit,
    continue: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  };
}

export function watchOptions(q: URLSearchParams): WatchOptions {
  return {
    ...listOptions(q),
    allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks'),
    sendInitialEvents: boolParam(q, 'sendInitialEvents'),
    timeoutSeconds: intParam(q, 'timeoutSeconds', 0),
  };
}

export function isWatch(q: URLSearchParams): boolean {
  return boolParam(q, 'watch') === true;
}

const policies: PropagationPolicy[] = ['Foreground', 'Background', 'Orphan'];

/** DeleteOptions from the query and, when present, the request body (the body wins, as upstream). */
export function deleteOptions(q: URLSearchParams, body: unknown): DeleteOptions {
  const w = writeOptions(q);
  const opts: DeleteOptions = { dryRun: w.dryRun };
  const grace = intParam(q, 'gracePeriodSeconds', -1);
  if (grace !== undefined) opts.gracePeriodSeconds = Math.max(0, grace);
  const pp = q.get('propagationPolicy');
  if (pp) opts.propagationPolicy = pp as PropagationPolicy;
  const orphan = boolParam(q, 'orphanDependents');
  if (orphan !== undefined) opts.orphanDependents = orphan;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('DeleteOptions must be an object');
    const b = body as Record<string, unknown>;
    if (b.gracePeriodSeconds !== undefined && b.gracePeriodSeconds !== null) {
      if (typeof b.gracePeriodSeconds !== 'number' || !Number.isInteger(b.gracePeriodSeconds)) throw badRequest('gracePeriodSeconds must be an integer');
      opts.gracePeriodSeconds = Math.max(0, b.gracePeriodSeconds);
    }
    if (b.propagationPolicy !== undefined && b.propagationPolicy !== null) opts.propagationPolicy = b.propagationPolicy as PropagationPolicy;
    if (typeof b.orphanDependents === 'boolean') opts.orphanDependents = b.orphanDependents;
    if (Array.isArray(b.dryRun) && b.dryRun.length > 0) opts.dryRun = true;
    const pre = b.preconditions;
    if (pre && typeof pre === 'object' && !Array.isArray(pre)) {
      const p = pre as Record<string, unknown>;
      opts.preconditions = {
        uid: typeof p.uid === 'string' ? p.uid : undefined,
        resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
      };
    }
  }
  if (opts.propagationPolicy !== undefined && !policies.includes(opts.propagationPolicy)) {
    throw new StatusError('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(opts.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan", "nil"`, {
      kind: 'DeleteOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(opts.propagationPolicy)}`, field: 'propagationPolicy' }],
    });
  }
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    throw new StatusError('Invalid', 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + opts.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set', { kind: 'DeleteOptions', group: 'meta.k8s.io' });
  }
  return opts;
}
