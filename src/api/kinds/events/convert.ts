/**
 * events.k8s.io/v1 Event <-> core/v1 Event. Upstream stores both in one place (the `events`
 * resource of the core group; events.k8s.io is another view of the same objects), so the registry
 * can keep one shape and convert at the edge. Field mapping (upstream pkg/apis/events/v1
 * conversion): regarding<->involvedObject, note<->message, reportingController<->reportingComponent,
 * deprecatedSource<->source, deprecatedFirstTimestamp<->firstTimestamp,
 * deprecatedLastTimestamp<->lastTimestamp, deprecatedCount<->count; the rest keep their names.
 * Both functions return new objects and leave their input alone.
 */
import type { KubeObject } from '../../types.js';

/** [events.k8s.io/v1 name, core/v1 name] for every field whose name differs. */
const RENAMED: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['metadata', 'eventTime', 'series', 'related', 'action', 'reason', 'type', 'reportingInstance'];

function convert(obj: KubeObject, apiVersion: string, pairs: Array<[string, string]>): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event' };
  for (const key of SAME) if (obj[key] !== undefined) out[key] = structuredClone(obj[key]);
  for (const [from, to] of pairs) if (obj[from] !== undefined) out[to] = structuredClone(obj[from]);
  return out;
}

/** events.k8s.io/v1 -> core/v1. */
export function eventsV1ToCore(ev: KubeObject): KubeObject {
  return convert(ev, 'v1', RENAMED);
}

/** core/v1 -> events.k8s.io/v1. An empty core `source` ({}) is dropped, as upstream omits it. */
export function coreToEventsV1(ev: KubeObject): KubeObject {
  const out = convert(
    ev,
    'events.k8s.io/v1',
    RENAMED.map(([a, b]) => [b, a]),
  );
  const src = out.deprecatedSource as Record<string, unknown> | undefined;
  if (src && Object.keys(src).length === 0) delete out.deprecatedSource;
  if (out.deprecatedCount === 0) delete out.deprecatedCount;
  return out;
}
