/**
 * The pods/{name}/ephemeralcontainers subresource's write (upstream's EphemeralContainersREST with
 * podEphemeralContainersStrategy): of the object the client proposes, only spec.ephemeralContainers
 * is taken; everything else (the rest of spec, status, metadata) stays as stored. The result is
 * defaulted, validated as a whole pod plus ValidatePodEphemeralContainersUpdate (422 Invalid with
 * field causes), and gets a new generation when the list changed.
 *
 * Input: the pods store, namespace/name, and `propose(current)` returning the pod the client asks for
 * (a PUT body, or the current pod with a patch applied). Output: the stored pod as served.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError, conflict, invalid, notFound } from '../../machinery/errors.js';
import { trackUpdate } from '../../machinery/apply/index.js';
import { StorageError, guaranteedUpdate } from '../../storage/interface.js';
import { clone, decode, encodeForStorage } from '../codec.js';
import type { WriteOptions } from '../options.js';
import type { GenericStore } from '../store.js';
import { normalizeOrder, nowRfc3339 } from '../strategy.js';
import { validateEphemeralContainersUpdate } from './pod-ephemeral-validation.js';

type PodSpecJson = Record<string, unknown> & { ephemeralContainers?: unknown };

/** dropNonEphemeralContainerUpdates: the old pod with the proposed ephemeral containers. */
export function withProposedEphemeralContainers(old: KubeObject, proposed: KubeObject): KubeObject {
  const next = clone(old);
  const spec = { ...((next.spec ?? {}) as PodSpecJson) };
  const list = (proposed.spec as PodSpecJson | undefined)?.ephemeralContainers;
  if (list === undefined || list === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = clone(list);
  next.spec = spec;
  return next;
}

/**
 * Read-modify-write of one pod's ephemeral containers, retried on write races. A resourceVersion in the
 * proposed pod is a precondition (409 Conflict when stale); an unchanged list writes nothing. With
 * `opts.manager`, managedFields record that manager's Update of the ephemeralcontainers subresource.
 */
export async function updateEphemeralContainers(
  pods: GenericStore,
  namespace: string,
  name: string,
  propose: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  opts: WriteOptions & { manager?: string } = {},
): Promise<KubeObject> {
  const def = pods.def;
  const key = pods.key(namespace, name);
  let result: KubeObject | undefined;
  try {
    await guaranteedUpdate(pods.ctx.storage, key, async (kv) => {
      if (!kv) throw notFound(pods.ref, name);
      const current = decode(kv);
      const proposed = await propose(clone(current));
      const rv = proposed.metadata?.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== String(kv.modRevision)) {
        throw conflict(pods.ref, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      if ((proposed.metadata?.name ?? name) !== name) {
        throw new StatusError('BadRequest', `the name of the object (${proposed.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
      }
      const next = withProposedEphemeralContainers(current, proposed);
      def.defaults?.(next);
      const errs = [...(def.validate?.(next) ?? []), ...validateEphemeralContainersUpdate(next, current)];
      if (errs.length > 0) throw invalid(def.resource.kind, def.resource.group, name, errs);
      const before = JSON.stringify((current.spec as PodSpecJson | undefined)?.ephemeralContainers ?? null);
      const after = JSON.stringify((next.spec as PodSpecJson).ephemeralContainers ?? null);
      if (before === after) {
        result = current;
        return null;
      }
      const meta = next.metadata!;
      meta.generation = (current.metadata?.generation ?? 1) + 1;
      // managedFields: the writer owns the entries it added, as an Update of this subresource.
      if (opts.manager) meta.managedFields = trackUpdate(current, next, opts.manager, 'Update', def.model, nowRfc3339(), 'ephemeralcontainers');
      result = normalizeOrder(def, next);
      result.metadata!.resourceVersion = String(kv.modRevision);
      return opts.dryRun ? null : encodeForStorage(result);
    });
  } catch (err) {
    if (err instanceof StorageError && err.code === 'KeyNotFound') throw notFound(pods.ref, name);
    throw err;
  }
  if (opts.dryRun) return result!;
  const kv = await pods.ctx.storage.get(key);
  return kv ? decode(kv) : result!;
}
