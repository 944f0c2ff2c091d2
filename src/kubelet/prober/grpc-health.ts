/**
 * The grpc probe (upstream pkg/probe/grpc): connect to host:port without TLS (waiting for the
 * connection, as upstream's blocking dial), call grpc.health.v1.Health/Check with the probe's service,
 * pass on SERVING. Messages are upstream's: `service unhealthy (responded with "NOT_SERVING")`,
 * `timeout: failed to connect service "10.42.0.5:9000" within 1s: context deadline exceeded`,
 * `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ...`.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { formatGoDuration } from '../../machinery/duration.js';
import { joinHostPort } from './http-get.js';
import type { ProbeOutcome } from './types.js';
import { KUBE_MINOR_VERSION } from './types.js';

interface HealthCheckResponse {
  status: string;
}

type HealthClient = grpc.Client & {
  Check(req: { service: string }, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: HealthCheckResponse) => void): grpc.ClientUnaryCall;
};

let healthClientCtor: grpc.ServiceClientConstructor | undefined;

function healthClientConstructor(): grpc.ServiceClientConstructor {
  if (healthClientCtor) return healthClientCtor;
  const def = protoLoader.loadSync(fileURLToPath(new URL('./health.proto', import.meta.url)), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
  healthClientCtor = pkg.grpc.health.v1.Health;
  return healthClientCtor;
}

/** Go's codes.Code String(): NOT_FOUND -> NotFound, CANCELLED -> Canceled. */
export function goCodeName(code: number): string {
  const name = grpc.status[code] ?? `Code(${code})`;
  if (name === 'CANCELLED') return 'Canceled';
  if (name === 'OK') return 'OK';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export async function doGRPCProbe(host: string, port: number, service: string, timeoutSeconds: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const timeoutText = formatGoDuration(timeoutSeconds * 1000);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const Ctor = healthClientConstructor();
  const client = new Ctor(addr, grpc.credentials.createInsecure(), { 'grpc.primary_user_agent': `kube-probe/${KUBE_MINOR_VERSION}` }) as unknown as HealthClient;
  try {
    const connectError = await new Promise<Error | undefined>((resolve) => client.waitForReady(deadline, (err) => resolve(err ?? undefined)));
    if (connectError) return { result: 'failure', message: `timeout: failed to connect service "${addr}" within ${timeoutText}: context deadline exceeded` };
    const outcome = await new Promise<{ err: grpc.ServiceError | null; res?: HealthCheckResponse }>((resolve) =>
      client.Check({ service }, new grpc.Metadata(), { deadline }, (err, res) => resolve({ err, res })),
    );
    if (outcome.err) {
      const err = outcome.err;
      if (err.code === grpc.status.UNIMPLEMENTED) return { result: 'failure', message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}` };
      if (err.code === grpc.status.DEADLINE_EXCEEDED) return { result: 'failure', message: `timeout: health rpc did not complete within ${timeoutText}` };
      return { result: 'failure', message: `error: health rpc probe failed: rpc error: code = ${goCodeName(err.code)} desc = ${err.details}` };
    }
    const status = outcome.res?.status ?? 'UNKNOWN';
    if (status !== 'SERVING') return { result: 'failure', message: `service unhealthy (responded with "${status}")` };
    return { result: 'success', message: 'service healthy' };
  } finally {
    client.close();
  }
}
