/**
 * Server-side printing: the `as=Table` responses `kubectl get` asks for.
 *
 * - `tableFor(def, objects, opts)`: a meta.k8s.io Table for objects of one kind, with the columns and
 *   cells upstream's printers (pkg/printers/internalversion) give that kind, or the default
 *   NAME / CREATED AT table for kinds upstream has no printer for. Rows carry the object as
 *   PartialObjectMetadata (default, `includeObject=Metadata`), the whole object (`Object`) or nothing (`None`).
 * - `wantsTable(accept)`: 'v1' | 'v1beta1' when the Accept header's first acceptable type is a Table.
 * - `tableContentType(version)`: the Content-Type of a Table response.
 * - `tableWatchEvent(def, event, opts)`: a watch event whose object becomes a one-row Table.
 * - `parseIncludeObject(query value)`: the includeObject query parameter, validated.
 */
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { badRequest } from '../../machinery/errors.js';
import { formatTimestamp, parseTimestamp } from '../../machinery/duration.js';
import { configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core.js';
import {
  clusterRoleBindingPrinter, endpointSlicePrinter, ingressClassPrinter, ingressPrinter, leasePrinter, networkPolicyPrinter, podDisruptionBudgetPrinter, priorityClassPrinter, roleBindingPrinter, storageClassPrinter,
} from './cluster.js';
import { podPrinter } from './pod.js';
import { crdPrinter } from './columns-for-crd.js';
import { columnDefinitions, ageColumn, col, nameColumn, type IncludeObject, type Printer, type Table, type TableRow, type TableVersion } from './types.js';
import {
  controllerRevisionPrinter, cronJobPrinter, daemonSetPrinter, deploymentPrinter, hpaPrinter, jobPrinter, podTemplatePrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter,
} from './workloads.js';

export type { Cell, IncludeObject, PartialObjectMetadata, Printer, Table, TableColumnDefinition, TableRow, TableRowCondition, TableVersion } from './types.js';
export { podSummary } from './pod.js';

/** Printers by `group/Kind` (every served version of a kind prints alike, as upstream converts to internal first). */
const printers = new Map<string, Printer>([
  ['/Pod', podPrinter],
  ['/PodTemplate', podTemplatePrinter],
  ['/ReplicationController', replicationControllerPrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/Namespace', namespacePrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['events.k8s.io/Event', eventPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/PersistentVolume', persistentVolumePrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['/ResourceQuota', resourceQuotaPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['autoscaling/HorizontalPodAutoscaler', hpaPrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['networking.k8s.io/IngressClass', ingressClassPrinter],
  ['networking.k8s.io/NetworkPolicy', networkPolicyPrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
]);

function createdAt(obj: KubeObject): string {
  const ts = obj.metadata?.creationTimestamp;
  if (!ts) return '0001-01-01T00:00:00Z'; // Go's zero time, as upstream formats an unset timestamp
  try {
    return formatTimestamp(parseTimestamp(ts));
  } catch {
    return ts ?? '';
  }
}

/** Upstream's DefaultTableConvertor: NAME and CREATED AT (an RFC 3339 date). */
const defaultPrinter: Printer = {
  columns: [nameColumn, col('Created At', 'date', ageColumn.description)],
  cells: (obj) => [obj.metadata?.name ?? '', createdAt(obj)],
};

/** The printer for a kind: upstream's, or the default NAME / CREATED AT one. */
const crdPrinters = new WeakMap<KindDefinition, Printer>();

export function printerFor(def: KindDefinition): Printer {
  if (def.customResource) {
    // additionalPrinterColumns of the CRD version (NAME + AGE when it has none).
    let p = crdPrinters.get(def);
    if (!p) {
      p = crdPrinter(def.printerColumns);
      crdPrinters.set(def, p);
    }
    return p;
  }
  return printers.get(`${def.resource.group}/${def.resource.kind}`) ?? defaultPrinter;
}

/** Whether upstream has a dedicated printer for the kind. */
export const hasPrinter = (def: KindDefinition): boolean => printers.has(`${def.resource.group}/${def.resource.kind}`);

export interface TableOptions {
  includeObject?: IncludeObject;
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  now?: Date;
  version?: TableVersion;
}

const kindApiVersion = (def: KindDefinition): string => (def.resource.group ? `${def.resource.group}/${def.resource.version}` : def.resource.version);

function rowObject(def: KindDefinition, obj: KubeObject, include: IncludeObject, version: TableVersion): TableRow['object'] {
  if (include === 'None') return undefined;
  if (include === 'Object') return { ...obj, apiVersion: obj.apiVersion ?? kindApiVersion(def), kind: obj.kind ?? def.resource.kind };
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

/** A Table of `objects` (all of kind `def`) as the API server returns it for `as=Table`. */
export function tableFor(def: KindDefinition, objects: KubeObject[], opts: TableOptions = {}): Table {
  return tableWithPrinter(printerFor(def), def, objects, opts);
}

/** A Table printed by a given printer (e.g. a CRD's additionalPrinterColumns, see columns-for-crd.ts). */
export function tableWithPrinter(printer: Printer, def: KindDefinition, objects: KubeObject[], opts: TableOptions = {}): Table {
  const now = (opts.now ?? new Date()).getTime();
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  const lm = opts.listMeta ?? {};
  if (lm.resourceVersion !== undefined) metadata.resourceVersion = lm.resourceVersion;
  if (lm.continue) metadata.continue = lm.continue;
  if (lm.remainingItemCount !== undefined) metadata.remainingItemCount = lm.remainingItemCount;
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    const object = rowObject(def, obj, include, version);
    if (object !== undefined) row.object = object;
    return row;
  });
  return { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata, columnDefinitions: columnDefinitions(printer.columns), rows };
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
      }
      const q = params.has('q') ? Number(params.get('q')) : 1;
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((m) => m.type !== '' && m.q > 0);
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*', 'application/yaml', 'application/vnd.kubernetes.protobuf']);

/**
 * Content negotiation for server-side printing: the version of Table asked for when the first
 * acceptable media range (by q, then order) is `application/json;as=Table;g=meta.k8s.io;v=v1|v1beta1`;
 * undefined when a plain type comes first or no Table is asked for.
 */
export function wantsTable(accept: string | undefined): TableVersion | undefined {
  if (!accept) return undefined;
  const ranges = parseAccept(accept)
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.q - a.m.q || a.i - b.i)
    .map(({ m }) => m);
  for (const m of ranges) {
    const as = m.params.get('as');
    if (as === undefined) {
      if (JSON_TYPES.has(m.type)) return undefined;
      continue;
    }
    if (as !== 'Table' || m.params.get('g') !== 'meta.k8s.io') continue;
    if (m.type !== 'application/json' && m.type !== '*/*' && m.type !== 'application/*') continue;
    const v = m.params.get('v');
    if (v === 'v1' || v === 'v1beta1') return v;
  }
  return undefined;
}

/** Content-Type of a Table response. */
export function tableContentType(version: TableVersion): string {
  return `application/json;as=Table;v=${version};g=meta.k8s.io`;
}

/** The includeObject query parameter (metav1.TableOptions): '' means Metadata; anything else is a 400. */
export function parseIncludeObject(value: string | null | undefined): IncludeObject {
  if (value === null || value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(`includeObject: Unsupported value: "${value}": supported values: "None", "Metadata", "Object"`);
}

export interface WatchEventLike {
  type: string;
  object: unknown;
}

/** A watch event for a Table watch: ADDED/MODIFIED/DELETED objects become a one-row Table; ERROR and BOOKMARK pass through. */
export function tableWatchEvent(def: KindDefinition, event: WatchEventLike, opts: TableOptions = {}): WatchEventLike {
  if (event.type === 'ERROR' || event.type === 'BOOKMARK') return event;
  const obj = event.object as KubeObject;
  return { type: event.type, object: tableFor(def, [obj], { ...opts, listMeta: { resourceVersion: obj.metadata?.resourceVersion } }) };
}
