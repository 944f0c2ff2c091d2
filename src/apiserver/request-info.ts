/**
 * Parses an API request path into what it addresses (upstream's RequestInfoFactory):
 * /api/v1/namespaces/{ns}/{resource}/{name}/{subresource} and /apis/{group}/{version}/...
 */
export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Path segments after the subresource (e.g. proxy paths). */
  rest: string[];
}

export interface OtherRequest {
  kind: 'other';
  path: string;
}

export type RequestInfo = ResourceRequest | OtherRequest;

function splitPath(pathname: string): string[] | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  const out: string[] = [];
  for (const raw of parts) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (seg === '.' || seg === '..' || seg.includes('/') || seg.includes('\u0000')) return undefined;
    out.push(seg);
  }
  return out;
}

/** Returns undefined for paths that can never be valid (path tricks, bad escapes). */
export function parseRequestPath(pathname: string): RequestInfo | undefined {
  const parts = splitPath(pathname);
  if (!parts) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'other', path: `/${parts.join('/')}` };
  }
  let namespace: string | undefined;
  // "namespaces/{ns}/{resource}..." addresses namespaced resources; "namespaces/{ns}" alone (or with
  // a subresource like /status or /finalize) addresses the Namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...more] = rest;
  if (!resource) return { kind: 'other', path: `/${parts.join('/')}` };
  return { kind: 'resource', group, version, namespace, resource, name, subresource, rest: more };
}
