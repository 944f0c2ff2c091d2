/**
 * kube-apiserver: HTTPS with client-certificate authentication in front of the registry.
 * Inputs: a data dir (PKI, kubeconfig, SQLite database) and a storage choice (embedded SQLite or etcd).
 * Outputs: a listening server, `<dataDir>/kubeconfig.yaml` for kubectl, and a handle to stop it.
 * Routes: /healthz /livez /readyz /version /metrics, discovery (/api, /apis...), and every resource path.
 */
import type { KindDefinition } from '../api/types.js';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { StatusError } from '../machinery/errors.js';
import { Registry } from '../registry/index.js';
import type { RegistryStorage } from '../registry/store.js';
import { createCacher } from '../storage/cacher/index.js';
import { openStorage } from '../storage/index.js';
import type { Storage } from '../storage/interface.js';
import { authenticateWithTokens, isAnonymousAllowed, unauthorized, withAuthenticatedGroup } from './authn.js';
import { AUTHENTICATION_GROUP, AUTHENTICATION_KINDS, handleAuthenticationReview } from './authentication-api/handler.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, legacyApiVersions, legacyGroup, legacyGroupList, legacyResourceList, wantsAggregated } from './handlers/discovery.js';
import { ResourceHandler } from './handlers/resource.js';
import { sendError, sendJson } from './http.js';
import { createApiMetrics, type ApiMetrics } from './metrics.js';
import { ensurePki, type Pki } from './pki/index.js';
import { writeKubeconfig } from './pki/kubeconfig.js';
import { openApiV3Document, openApiV3Root } from './openapi/v3.js';
import { serveOpenApiV2 } from './openapi/v2-handler.js';
import { parseRequestPath } from './request-info.js';
import { ServiceAccountTokens } from './sa-token/authenticator.js';
import { METRICS_GROUP, METRICS_KINDS, MetricsApi } from './metrics-api/handler.js';
import type { MetricsProvider } from './metrics-api/types.js';
import { ensureServiceAccountKey } from './sa-token/signing-key.js';
import { JWKS_PATH, OPENID_CONFIGURATION_PATH, jwks, openIdConfiguration } from './sa-token/oidc-discovery.js';
import { createServiceAccountToken } from '../registry/kinds/serviceaccount-token.js';
import { versionInfo } from './version.js';
import { PodStreamingProxy, rejectUpgradeWithStatus } from './streaming/pod-streaming.js';

export type StorageChoice = { kind: 'sqlite' } | { kind: 'etcd'; endpoints: string[]; prefix?: string };

export interface ApiServerOptions {
  dataDir: string;
  storage?: StorageChoice;
  /** 0 = any free port. Default 6443. */
  port?: number;
  bind?: string;
  quiet?: boolean;
  serviceCIDR?: string;
  /** Answer 404 on /openapi/v3 (tests forcing kubectl onto its /openapi/v2 fallback). */
  disableOpenAPIV3?: boolean;
  /** Serves metrics.k8s.io (kubectl top) from this provider; also settable later with setMetricsProvider. */
  metricsProvider?: MetricsProvider;
}

export interface ApiServerHandle {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: Pki;
  registry: Registry;
  metrics: ApiMetrics;
  /** Starts (or with undefined stops) serving metrics.k8s.io/v1beta1 from `provider`. */
  setMetricsProvider(provider: MetricsProvider | undefined): void;
  close(): Promise<void>;
}

function verbOf(method: string): string {
  return method.toUpperCase();
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServerHandle> {
  mkdirSync(opts.dataDir, { recursive: true });
  const bind = opts.bind ?? '127.0.0.1';
  const pki = await ensurePki(opts.dataDir, { hosts: bind === '0.0.0.0' || bind === '::' ? [] : [bind] });
  const choice = opts.storage ?? { kind: 'sqlite' };
  const backend: Storage =
    choice.kind === 'sqlite'
      ? await openStorage({ kind: 'sqlite', path: join(opts.dataDir, 'state.db') })
      : await openStorage({ kind: 'etcd', endpoints: choice.endpoints, prefix: choice.prefix });
  const metrics = createApiMetrics();
  const cacher = createCacher(metrics.instrumentStorage(backend));
  const storage = cacher as unknown as RegistryStorage;
  const registry = new Registry(storage, { serviceCIDR: opts.serviceCIDR });
  await registry.warmCaches();
  const saKey = await ensureServiceAccountKey(opts.dataDir);
  const saTokens = new ServiceAccountTokens(registry, saKey);
  const podStreaming = new PodStreamingProxy(registry, pki);
  const resources = new ResourceHandler(registry, {
    podStreaming,
    watchOpened: (r) => metrics.watchOpened(r),
    watchClosed: (r) => metrics.watchClosed(r),
    createToken: (ns, name, body) => createServiceAccountToken(registry, saTokens, ns, name, body, { apiAudiences: saTokens.apiAudiences, issuer: saTokens.issuer }),
  });
  let metricsProvider = opts.metricsProvider;
  const metricsApi = new MetricsApi(registry, () => metricsProvider);
  /** Kinds for discovery: the registry's, authentication.k8s.io reviews, and metrics.k8s.io while a metrics provider is set. */
  const servedKinds = () => [...registry.kinds, ...AUTHENTICATION_KINDS, ...(metricsApi.enabled ? METRICS_KINDS : [])];
  // The OpenAPI caches key on one array and its exact elements: the same array, refilled when the served kinds change.
  // metrics.k8s.io has no schema models (metrics-server publishes its own through aggregation), so it is left out.
  const openApiKinds: KindDefinition[] = [];
  const servedForOpenApi = (): KindDefinition[] => {
    const now = [...registry.kinds, ...AUTHENTICATION_KINDS];
    if (now.length !== openApiKinds.length || now.some((k, i) => k !== openApiKinds[i])) openApiKinds.splice(0, openApiKinds.length, ...now);
    return openApiKinds;
  };
  const reviewToken = async (token: string, audiences?: string[]) => {
    const found = await saTokens.review(token, { audiences });
    return found && { user: withAuthenticatedGroup(found.user), audiences: found.audiences };
  };
  let ready = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    let verb = verbOf(req.method ?? 'GET');
    let resource = '';
    let subresource: string | undefined;
    let group: string | undefined;
    let version: string | undefined;
    let scope = '';
    let code = 200;
    let streaming = false;
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const { user, rejected } = await authenticateWithTokens(req, [(token) => saTokens.authenticate(token)]);
      // Authorization: every authenticated user (service accounts included) may do everything for now.
      if (rejected || (!user && !isAnonymousAllowed(url.pathname))) throw unauthorized();
      const info = parseRequestPath(url.pathname);
      if (!info) throw new StatusError('BadRequest', `invalid request path ${JSON.stringify(url.pathname.slice(0, 200))}`);
      if (info.kind === 'resource') {
        resource = info.resource;
        subresource = info.subresource;
        group = info.group;
        version = info.version;
        scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
        const done =
          info.group === METRICS_GROUP
            ? await metricsApi.handle(req, res, info, url.searchParams)
            : info.group === AUTHENTICATION_GROUP
              ? await handleAuthenticationReview(req, res, info, user, reviewToken)
              : await resources.handle(req, res, info, url.searchParams);
        verb = done.verb;
        code = done.code;
        streaming = 'streaming' in done && !!done.streaming;
      } else {
        code = await nonResource(req, res, info.path, url.searchParams);
      }
    } catch (err) {
      code = sendError(res, err);
    } finally {
      if (!streaming) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.observeRequest({ verb, group, version, resource, subresource, scope, code, seconds });
      }
    }
  };

  const nonResource = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<number> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz': {
        const ok = path !== '/readyz' || ready;
        res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end(ok ? 'ok' : '[-]readyz failed: starting');
        void query;
        return ok ? 200 : 500;
      }
      case '/version':
        sendJson(res, 200, versionInfo());
        return 200;
      case OPENID_CONFIGURATION_PATH:
        sendJson(res, 200, openIdConfiguration(saTokens.issuer));
        return 200;
      case JWKS_PATH:
        sendJson(res, 200, jwks(saKey), { 'Content-Type': 'application/jwk-set+json' });
        return 200;
      case '/metrics': {
        const m = await metrics.render();
        res.writeHead(200, { 'Content-Type': m.contentType });
        res.end(m.body);
        return 200;
      }
      case '/api':
        if (wantsAggregated(req.headers.accept)) {
          sendJson(res, 200, aggregatedDiscovery(servedKinds(), true), { 'Content-Type': AGGREGATED_CONTENT_TYPE });
        } else sendJson(res, 200, legacyApiVersions(`${bind}:${port}`));
        return 200;
      case '/apis':
        if (wantsAggregated(req.headers.accept)) {
          sendJson(res, 200, aggregatedDiscovery(servedKinds(), false), { 'Content-Type': AGGREGATED_CONTENT_TYPE });
        } else sendJson(res, 200, legacyGroupList(servedKinds()));
        return 200;
      default:
        break;
    }
    const parts = path.split('/').filter(Boolean);
    let body: unknown;
    if (parts[0] === 'openapi' && parts[1] === 'v2' && parts.length === 2) return serveOpenApiV2(req, res, servedForOpenApi());
    if (parts[0] === 'openapi' && parts[1] === 'v3' && !opts.disableOpenAPIV3) {
      const kinds = servedForOpenApi();
      const doc = parts.length === 2 ? openApiV3Root(kinds) : parts[2] === 'api' ? openApiV3Document(kinds, '', parts[3] ?? '') : openApiV3Document(kinds, parts[3] ?? '', parts[4] ?? '');
      if (!doc) throw new StatusError('NotFound', 'the server could not find the requested resource');
      sendJson(res, 200, doc, { 'Cache-Control': query.has('hash') ? 'public, immutable' : 'no-cache, private' });
      return 200;
    }
    if (parts[0] === 'api' && parts.length === 2) body = legacyResourceList(servedKinds(), '', parts[1]!);
    else if (parts[0] === 'apis' && parts.length === 2) body = legacyGroup(servedKinds(), parts[1]!);
    else if (parts[0] === 'apis' && parts.length === 3) body = legacyResourceList(servedKinds(), parts[1]!, parts[2]!);
    if (body === undefined) throw new StatusError('NotFound', 'the server could not find the requested resource');
    sendJson(res, 200, body);
    return 200;
  };

  const server: Server = createServer(
    {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: [pki.caCertPem],
      requestCert: true,
      rejectUnauthorized: false,
      keepAliveTimeout: 60_000,
    },
    (req, res) => {
      void handle(req, res);
    },
  );
  // HTTP/1.1 Upgrade requests (WebSocket, SPDY): pods/{exec,attach,portforward} go to the kubelet.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'https://localhost');
        const { user, rejected } = await authenticateWithTokens(req, [(token) => saTokens.authenticate(token)]);
        if (rejected || !user) throw unauthorized();
        const info = parseRequestPath(url.pathname);
        if (info?.kind !== 'resource') throw new StatusError('BadRequest', 'the server does not support upgrading this request');
        await podStreaming.serveUpgrade(req, socket, head, info, url.searchParams);
      } catch (err) {
        rejectUpgradeWithStatus(socket, err);
      }
    })();
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 6443, bind, () => resolve((server.address() as AddressInfo).port));
  });
  const host = bind.includes(':') ? `[${bind}]` : bind === '0.0.0.0' ? '127.0.0.1' : bind;
  const url = `https://${host}:${port}`;
  await registry.bootstrap(port, host.startsWith('[') ? '127.0.0.1' : host);
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
  await writeKubeconfig(kubeconfigPath, { server: url, caCertPem: pki.caCertPem, certPem: pki.adminCertPem, keyPem: pki.adminKeyPem });
  ready = true;

  return {
    url,
    port,
    kubeconfigPath,
    pki,
    registry,
    metrics,
    setMetricsProvider(provider) {
      metricsProvider = provider;
    },
    async close() {
      ready = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        podStreaming.closeAll();
      });
      registry.crds.stop();
      await cacher.close();
    },
  };
}
