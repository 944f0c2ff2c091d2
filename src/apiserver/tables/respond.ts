/**
 * The HTTP side of server-side printing for the resource handlers: when the request's Accept header
 * asks for a Table, `respondWithTable` writes the Table (with the Table Content-Type) and returns
 * true; otherwise it writes nothing and returns false, and the handler sends its usual JSON.
 * `tableWatchEncoder` gives the line encoder of a Table watch (each event's object a one-row Table),
 * or undefined when the watch did not ask for Tables.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { encodeServed } from '../../registry/codec.js';
import type { ApiWatchEvent } from '../../registry/store-read.js';
import { sendJson } from '../http.js';
import { parseIncludeObject, tableContentType, tableFor, tableWatchEvent, wantsTable, type TableOptions } from './index.js';

export function respondWithTable(
  req: IncomingMessage,
  res: ServerResponse,
  def: KindDefinition,
  query: URLSearchParams,
  objects: () => KubeObject[],
  listMeta: TableOptions['listMeta'],
): boolean {
  const version = wantsTable(req.headers.accept);
  if (!version) return false;
  const includeObject = parseIncludeObject(query.get('includeObject'));
  const table = tableFor(def, objects(), { includeObject, listMeta, version });
  sendJson(res, 200, table, { 'Content-Type': tableContentType(version) });
  return true;
}

/** One watch line per event, the object turned into a one-row Table; undefined when no Table was asked for. */
export function tableWatchEncoder(req: IncomingMessage, def: KindDefinition, query: URLSearchParams): ((ev: ApiWatchEvent) => string) | undefined {
  const version = wantsTable(req.headers.accept);
  if (!version) return undefined;
  const includeObject = parseIncludeObject(query.get('includeObject'));
  return (ev) => {
    const object = ev.kv && ev.type !== 'DELETED' ? (JSON.parse(encodeServed(ev.kv)) as KubeObject) : ev.object;
    return `${JSON.stringify(tableWatchEvent(def, { type: ev.type, object }, { includeObject, version }))}\n`;
  };
}
