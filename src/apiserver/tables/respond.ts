/**
 * The HTTP side of server-side printing for the resource handlers: when the request's Accept header
 * asks for a Table, `respondWithTable` writes the Table (with the Table Content-Type) and returns
 * true; otherwise it writes nothing and returns false, and the handler sends its usual JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { sendJson } from '../http.js';
import { parseIncludeObject, tableContentType, tableFor, wantsTable, type TableOptions } from './index.js';

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
