/**
 * A minimal etcd v3 gRPC client: the KV service as promise-returning calls and the Watch stream,
 * built from Skiff's own rpc.proto/kv.proto with @grpc/proto-loader.
 *
 * Input: endpoints such as `http://127.0.0.1:2379` (plain-text gRPC; several IP endpoints become
 * one channel that fails over between them). Output: typed request/response shapes (the wire
 * messages, int64 as number, bytes as Buffer) and errors mapped to StorageError: a compacted
 * revision -> Expired, an oversized request -> TooLarge, anything else -> Unavailable.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { StorageError } from '../interface.js';

export interface PbHeader {
  revision: number;
}
export interface PbKeyValue {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
}
export interface RangeRequest {
  key: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  count_only?: boolean;
}
export interface RangeResponse {
  header: PbHeader;
  kvs: PbKeyValue[];
  more: boolean;
  count: number;
}
export interface PutRequest {
  key: Buffer;
  value: Buffer;
  prev_kv?: boolean;
}
export interface PutResponse {
  header: PbHeader;
  prev_kv: PbKeyValue | null;
}
export interface DeleteRangeRequest {
  key: Buffer;
  range_end?: Buffer;
  prev_kv?: boolean;
}
export interface DeleteRangeResponse {
  header: PbHeader;
  deleted: number;
  prev_kvs: PbKeyValue[];
}
export interface Compare {
  result: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
  target: 'VERSION' | 'CREATE' | 'MOD';
  key: Buffer;
  create_revision?: number;
  mod_revision?: number;
  version?: number;
}
export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: PutRequest;
  request_delete_range?: DeleteRangeRequest;
}
export interface ResponseOp {
  response_range: RangeResponse | null;
  response_put: PutResponse | null;
  response_delete_range: DeleteRangeResponse | null;
}
export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}
export interface TxnResponse {
  header: PbHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}
export interface WatchRequest {
  create_request?: {
    key: Buffer;
    range_end?: Buffer;
    start_revision?: number;
    progress_notify?: boolean;
    prev_kv?: boolean;
  };
  cancel_request?: { watch_id: number };
  progress_request?: Record<string, never>;
}
export interface PbEvent {
  type: 'PUT' | 'DELETE';
  kv: PbKeyValue;
  prev_kv: PbKeyValue | null;
}
export interface WatchResponse {
  header: PbHeader | null;
  watch_id: number;
  created: boolean;
  canceled: boolean;
  compact_revision: number;
  cancel_reason: string;
  events: PbEvent[];
}

export type WatchStream = grpc.ClientDuplexStream<WatchRequest, WatchResponse>;

type Unary<Req, Res> = (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => void;

interface KvStub extends grpc.Client {
  Range: Unary<RangeRequest, RangeResponse>;
  Put: Unary<PutRequest, PutResponse>;
  Txn: Unary<TxnRequest, TxnResponse>;
  Compact: Unary<{ revision: number; physical?: boolean }, { header: PbHeader }>;
}
interface WatchStub extends grpc.Client {
  Watch: (meta?: grpc.Metadata, opts?: grpc.CallOptions) => WatchStream;
}
type StubConstructor<T> = new (target: string, creds: grpc.ChannelCredentials, opts?: grpc.ChannelOptions) => T;

const protoDir = dirname(fileURLToPath(import.meta.url));

function loadServices(): { KV: StubConstructor<KvStub>; Watch: StubConstructor<WatchStub> } {
  const def = protoLoader.loadSync(join(protoDir, 'rpc.proto'), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoDir],
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    etcdserverpb: { KV: StubConstructor<KvStub>; Watch: StubConstructor<WatchStub> };
  };
  return pkg.etcdserverpb;
}

/** A gRPC target for the endpoints: one channel over all of them when they are IP addresses. */
export function grpcTarget(endpoints: string[]): string {
  if (endpoints.length === 0) throw new Error('etcd: no endpoints');
  const hostPorts = endpoints.map((e) => e.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, ''));
  if (hostPorts.length > 1 && hostPorts.every((h) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(h))) return `ipv4:${hostPorts.join(',')}`;
  return hostPorts[0];
}

/** Maps a gRPC failure to the StorageError the interface promises. */
export function storageErrorOf(err: unknown, key: string, compactedHint = 0): StorageError {
  if (err instanceof StorageError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('required revision has been compacted')) return new StorageError('Expired', key, message, compactedHint);
  if (message.includes('request is too large') || message.includes('larger than max')) return new StorageError('TooLarge', key, message);
  return new StorageError('Unavailable', key, `etcd: ${message}`);
}

export class EtcdClient {
  private readonly kv: KvStub;
  private readonly watchStub: WatchStub;

  constructor(
    endpoints: string[],
    private readonly callTimeoutMs = 30_000,
  ) {
    const services = loadServices();
    const target = grpcTarget(endpoints);
    const creds = grpc.credentials.createInsecure();
    const channelOpts: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    };
    this.kv = new services.KV(target, creds, channelOpts);
    this.watchStub = new services.Watch(target, creds, channelOpts);
  }

  range(req: RangeRequest): Promise<RangeResponse> {
    return this.unary(this.kv.Range, req);
  }
  put(req: PutRequest): Promise<PutResponse> {
    return this.unary(this.kv.Put, req);
  }
  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.unary(this.kv.Txn, req);
  }
  compact(revision: number): Promise<{ header: PbHeader }> {
    return this.unary(this.kv.Compact, { revision, physical: false });
  }
  watch(): WatchStream {
    return this.watchStub.Watch();
  }

  close(): void {
    this.kv.close();
    this.watchStub.close();
  }

  private unary<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + this.callTimeoutMs);
      method.call(this.kv, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (err || !res) reject(err ?? new Error('etcd: empty response'));
        else resolve(res);
      });
    });
  }
}
