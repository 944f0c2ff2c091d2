/**
 * The httpGet probe and hook request (upstream pkg/probe/http): GET scheme://host:port/path with the
 * probe's headers, `User-Agent: kube-probe/1.32` and `Accept: *\/*` unless given, HTTPS without
 * certificate verification, the whole exchange bounded by the timeout. Redirects are followed only to
 * the same host name (at most 10); a redirect elsewhere ends the probe with a warning (success).
 * 200..399 passes; failures read like Go's net/http errors, as upstream's Unhealthy events show them:
 * `Get "http://10.42.0.5:8080/healthz": dial tcp 10.42.0.5:8080: connect: connection refused`,
 * `HTTP probe failed with statuscode: 500`.
 */
import http from 'node:http';
import https from 'node:https';
import { dialErrorText } from './net-errors.js';
import type { HTTPGetAction, ProbeOutcome } from './types.js';
import { KUBE_MINOR_VERSION } from './types.js';

/** Upstream's maxRespBodyLength: only the first 10 KiB of a body are kept for the message. */
export const MAX_BODY_BYTES = 10 * 1024;
const MAX_REDIRECTS = 10;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

export interface HTTPRequestSpec {
  url: URL;
  headers: Record<string, string>;
  /** A Host header override, kept across relative redirects only. */
  hostHeader?: string;
}

const canonicalHeader = (name: string): string => name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/** `host` joined with `port` as Go's net.JoinHostPort does (IPv6 in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Upstream's NewRequestForHTTPGetAction: the URL and headers of a probe (`purpose` probe) or hook (`lifecycle`). */
export function buildHTTPRequest(action: HTTPGetAction, host: string, port: number, purpose: 'probe' | 'lifecycle'): HTTPRequestSpec {
  const scheme = action.scheme === 'HTTPS' ? 'https' : 'http';
  const path = action.path.startsWith('/') || action.path === '' ? action.path : `/${action.path}`;
  const url = new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
  const headers: Record<string, string> = {};
  for (const h of action.httpHeaders) {
    const key = canonicalHeader(h.name);
    headers[key] = key in headers ? `${headers[key]}, ${h.value}` : h.value;
  }
  if (!('User-Agent' in headers)) headers['User-Agent'] = `kube-${purpose}/${KUBE_MINOR_VERSION}`;
  if (!('Accept' in headers)) headers.Accept = '*/*';
  else if (headers.Accept === '') delete headers.Accept;
  const hostHeader = headers.Host || undefined;
  delete headers.Host;
  return { url, headers, hostHeader };
}

/** Go's url.String() for error messages: `http://10.42.0.5:8080/healthz`. */
const urlText = (u: URL): string => u.href;

interface RawResponse {
  status: number;
  location?: string;
  body: string;
}

class HTTPGetError extends Error {}

function getOnce(url: URL, headers: Record<string, string>, hostHeader: string | undefined, signal: AbortSignal): Promise<RawResponse> {
  const mod = url.protocol === 'https:' ? https : http;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        method: 'GET',
        host: hostname,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, Host: hostHeader ?? url.host },
        agent: false,
        rejectUnauthorized: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function requestErrorText(err: NodeJS.ErrnoException, url: URL, timedOut: boolean, gotHeaders: boolean): string {
  if (timedOut) return `context deadline exceeded (Client.Timeout exceeded while ${gotHeaders ? 'reading body' : 'awaiting headers'})`;
  if (err.code === 'ECONNRESET' && /socket hang up/.test(err.message)) return 'EOF';
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return dialErrorText(err, joinHostPort(hostname, port));
}

/**
 * Performs the GET (following same-host redirects) within `timeoutSeconds` and classifies the response
 * as upstream's DoHTTPProbe does. Never throws: transport errors are failures, as upstream.
 */
export async function doHTTPGet(spec: HTTPRequestSpec, timeoutSeconds: number): Promise<ProbeOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutSeconds * 1000);
  let url = spec.url;
  let hostHeader = spec.hostHeader;
  try {
    for (let hops = 0; ; hops++) {
      let res: RawResponse;
      try {
        res = await getOnce(url, spec.headers, hostHeader, controller.signal);
      } catch (err) {
        return { result: 'failure', message: `Get "${urlText(url)}": ${requestErrorText(err as NodeJS.ErrnoException, url, timedOut, false)}` };
      }
      if (REDIRECT_CODES.has(res.status) && res.location) {
        const next = new URL(res.location, url);
        if (next.hostname === spec.url.hostname) {
          if (hops + 1 >= MAX_REDIRECTS) throw new HTTPGetError(`Get "${urlText(next)}": stopped after ${MAX_REDIRECTS} redirects`);
          // Go keeps a custom Host header only through relative redirects.
          if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(res.location)) hostHeader = undefined;
          url = next;
          continue;
        }
      }
      if (res.status >= 200 && res.status < 400) {
        if (res.status >= 300) return { result: 'success', warning: true, message: `Probe terminated redirects, Response body: ${res.body}` };
        return { result: 'success', message: res.body };
      }
      return { result: 'failure', message: `HTTP probe failed with statuscode: ${res.status}` };
    }
  } catch (err) {
    if (err instanceof HTTPGetError) return { result: 'failure', message: err.message };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
