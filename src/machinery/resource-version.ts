/**
 * resourceVersion strings and list continue tokens, as upstream's apiserver storage layer handles them.
 *
 * - `parseResourceVersion("42")` -> 42; "" and "0" mean "any" (0); anything else that is not a
 *   decimal uint64 throws StatusError BadRequest
 *   `resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x": invalid syntax`.
 * - `encodeContinue(key, keyPrefix, rv)` / `decodeContinue(token, keyPrefix)`: the opaque `continue`
 *   token, base64url (no padding) of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key after prefix>"}`,
 *   byte-compatible with upstream's; a tampered token is a 400 `invalid continue token: ...`.
 * - The 410/504 errors for versions that are too old or not yet reached.
 * - `checkListOptions(opts)`: upstream's ValidateListOptions (resourceVersionMatch, sendInitialEvents),
 *   a 422 `ListOptions.meta.k8s.io "" is invalid: ...`.
 */
import { StatusError, badRequest, expired, internalError, invalid, type FieldError } from './errors.js';

const MAX_UINT64 = 2n ** 64n - 1n;

/** strconv.ParseUint(s, 10, 64)'s checks, with its error text when they fail. */
function parseUint64(s: string): { value?: bigint; error?: string } {
  if (!/^[0-9]+$/.test(s)) return { error: `strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax` };
  const v = BigInt(s);
  if (v > MAX_UINT64) return { error: `strconv.ParseUint: parsing ${goQuote(s)}: value out of range` };
  return { value: v };
}

/** Go's %q for the strings we quote (JSON quoting matches it for printable text). */
const goQuote = (s: string): string => JSON.stringify(s);

/**
 * Parses a resourceVersion query parameter or metadata.resourceVersion. Returns 0 for "" and "0"
 * ("any version"). Values beyond 2^53 are returned rounded; no store ever reaches them.
 */
export function parseResourceVersion(rv: string | undefined): number {
  if (rv === undefined || rv === '' || rv === '0') return 0;
  const { value, error } = parseUint64(rv);
  if (error !== undefined) throw badRequest(`resourceVersion: Invalid value: ${goQuote(rv)}: ${error}`);
  return Number(value);
}

/** The string form of a revision, as objects carry it. */
export function formatResourceVersion(rv: number | bigint): string {
  return String(rv);
}

/** Orders two resourceVersions numerically (-1, 0, 1); throws BadRequest on an unparsable one. */
export function compareResourceVersion(a: string, b: string): -1 | 0 | 1 {
  const x = parseResourceVersion(a);
  const y = parseResourceVersion(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const CONTINUE_VERSION = 'meta.k8s.io/v1';

/** base64.RawURLEncoding: URL alphabet, no padding. */
export function encodeContinue(key: string, keyPrefix: string, resourceVersion: number): string {
  if (!key.startsWith(keyPrefix)) throw internalError('unable to encode next field: the key and key prefix do not match');
  // Go's json.Marshal escapes <, >, & and the JS line separators; doing the same keeps tokens identical.
  const token = JSON.stringify({ v: CONTINUE_VERSION, rv: resourceVersion, start: key.slice(keyPrefix.length) }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(token, 'utf8').toString('base64url');
}

/** Go's path.Clean for rooted paths. */
function cleanRootedPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function invalidContinue(detail: string): StatusError {
  return badRequest(`invalid continue token: continue key is not valid: ${detail}`);
}

/** Strict base64url decoding (Node's decoder silently skips bad characters; Go's does not). */
function decodeRawUrlBase64(s: string): Buffer {
  const bad = s.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw invalidContinue(`illegal base64 data at input byte ${bad}`);
  if (s.length % 4 === 1) throw invalidContinue(`illegal base64 data at input byte ${s.length - 1}`);
  return Buffer.from(s, 'base64url');
}

export interface ContinuePosition {
  /** The full storage key to resume from (keyPrefix + the token's start key). */
  fromKey: string;
  resourceVersion: number;
}

/** Upstream's storage.DecodeContinue, with its checks against tampering and path traversal. */
export function decodeContinue(token: string, keyPrefix: string): ContinuePosition {
  const text = decodeRawUrlBase64(token).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidContinue(text.length === 0 ? 'unexpected end of JSON input' : 'invalid character looking for beginning of value');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidContinue(`json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type storage.continueToken`);
  }
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== undefined && typeof v !== 'string') throw invalidContinue('json: cannot unmarshal into Go struct field continueToken.v of type string');
  if (rv !== undefined && (typeof rv !== 'number' || !Number.isInteger(rv))) {
    throw invalidContinue('json: cannot unmarshal into Go struct field continueToken.rv of type int64');
  }
  if (start !== undefined && typeof start !== 'string') throw invalidContinue('json: cannot unmarshal into Go struct field continueToken.start of type string');
  if (v !== CONTINUE_VERSION) throw invalidContinue(`server does not recognize this encoded version ${goQuote(v ?? '')}`);
  if (!rv) throw invalidContinue('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (!start) throw invalidContinue('encoded start key empty (version meta.k8s.io/v1)');
  const key = start.startsWith('/') ? start : `/${start}`;
  if (cleanRootedPath(key) !== key) throw invalidContinue(start);
  return { fromKey: keyPrefix + key.slice(1), resourceVersion: rv };
}

/** 400 when a list names both `continue` and a resourceVersion other than "0". */
export function checkContinueWithResourceVersion(continueToken: string | undefined, resourceVersion: string | undefined): void {
  if (continueToken && resourceVersion && resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
}

/** 410 for a watch from a compacted revision. */
export function watchTooOld(requested: number, oldest: number): StatusError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

/** 410 for an exact-match list at a compacted revision. */
export function listTooOld(): StatusError {
  return expired('The resourceVersion for the provided list is too old.');
}

/** 410 for a continue token whose revision was compacted. */
export function continueTooOld(): StatusError {
  return expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
      'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
      'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
}

/** 504 when a read asks for a revision the store has not reached yet (clients retry after 1s). */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError('Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** The list/watch query parameters that upstream's ValidateListOptions looks at. */
export interface ListOptionsInput {
  watch?: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
}

const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
const notSupported = (field: string, value: string, allowed: string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  detail: `supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
});

/** Upstream ValidateListOptions; `watchListEnabled` is the WatchList feature gate (streaming lists). */
export function validateListOptions(o: ListOptionsInput, watchListEnabled = false): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch ?? '';
  if (o.watch) {
    if (o.sendInitialEvents !== undefined) {
      if (match !== 'NotOlderThan') errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
      if (!watchListEnabled) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'));
    }
    if (match) {
      if (o.sendInitialEvents === undefined) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
    return errs;
  }
  if (match) {
    if (!o.resourceVersion) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0') errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

/** Throws upstream's 422 for invalid list options (what the list handler sends). */
export function checkListOptions(o: ListOptionsInput, watchListEnabled = false): void {
  const errs = validateListOptions(o, watchListEnabled);
  if (errs.length > 0) throw invalid('ListOptions', 'meta.k8s.io', '', errs);
}
