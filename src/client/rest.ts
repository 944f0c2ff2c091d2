/**
 * A small REST client for the Kubernetes API (client-go's rest.Interface): HTTPS with client
 * certificates from a kubeconfig, keep-alive, JSON bodies, and line-delimited watch streams.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse as parseYaml } from 'yaml';

export interface ClientConfig {
  server: string;
  caPem: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
}

export interface RestResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The JSON body, when the response had one. */
  body: T;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }>;
}

const b64 = (s: string | undefined): string | undefined => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);

export function loadKubeconfig(path: string): ClientConfig {
  const cfg = parseYaml(readFileSync(path, 'utf8')) as KubeconfigFile;
  const ctx = cfg.contexts?.find((c) => c.name === cfg['current-context']) ?? cfg.contexts?.[0];
  const cluster = cfg.clusters?.find((c) => c.name === ctx?.context.cluster) ?? cfg.clusters?.[0];
  const user = cfg.users?.find((u) => u.name === ctx?.context.user) ?? cfg.users?.[0];
  if (!cluster) throw new Error(`kubeconfig ${path} has no cluster`);
  return {
    server: cluster.cluster.server,
    caPem: b64(cluster.cluster['certificate-authority-data']) ?? '',
    certPem: b64(user?.user['client-certificate-data']),
    keyPem: b64(user?.user['client-key-data']),
    token: user?.user.token,
  };
}

export class RestClient {
  private readonly agent: Agent;
  /** Watches hold their connection for minutes: they get their own pool so they never starve requests. */
  private readonly watchAgent: Agent;

  constructor(
    readonly config: ClientConfig,
    opts: { maxSockets?: number } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, ca: config.caPem, cert: config.certPem, key: config.keyPem });
    this.watchAgent = new Agent({ keepAlive: false, ca: config.caPem, cert: config.certPem, key: config.keyPem });
  }

  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestResponse<T>> {
    const url = new URL(path, this.config.server);
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            // Explicit length: node does not frame bodies of DELETE requests by itself.
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
            ...(this.config.token ? { Authorization: `Bearer ${this.config.token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed as T });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.end(payload);
      else req.end();
    });
  }

  get<T = unknown>(path: string): Promise<RestResponse<T>> {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body: unknown): Promise<RestResponse<T>> {
    return this.request<T>('POST', path, body);
  }
  put<T = unknown>(path: string, body: unknown): Promise<RestResponse<T>> {
    return this.request<T>('PUT', path, body);
  }
  patch<T = unknown>(path: string, body: unknown, type = 'application/merge-patch+json'): Promise<RestResponse<T>> {
    return this.request<T>('PATCH', path, body, { 'Content-Type': type });
  }
  delete<T = unknown>(path: string, body?: unknown): Promise<RestResponse<T>> {
    return this.request<T>('DELETE', path, body);
  }

  /** Opens a watch; `onEvent` gets each parsed line. Resolves the returned stop function once headers arrive. */
  watch(path: string, onEvent: (ev: { type: string; object: Record<string, unknown> }) => void, onEnd?: (err?: Error) => void): Promise<{ status: number; stop(): void }> {
    const url = new URL(path, this.config.server);
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', agent: this.watchAgent, headers: { Accept: 'application/json', ...(this.config.token ? { Authorization: `Bearer ${this.config.token}` } : {}) } }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) onEvent(JSON.parse(line) as { type: string; object: Record<string, unknown> });
          }
        });
        res.on('end', () => onEnd?.());
        res.on('error', (e) => onEnd?.(e));
        resolve({ status: res.statusCode ?? 0, stop: () => req.destroy() });
      });
      req.on('error', (e) => {
        reject(e);
        onEnd?.(e);
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}
