/**
 * Lets @kubernetes/client-node 2.x load on Node 20. The package declares `engines: node >= 22.19` and
 * pulls undici 8, which at import time binds `zlib.createZstdDecompress` (Node 22.15+), calls
 * `worker_threads.markAsUncloneable` (Node 22.10+) and, per request, `Promise.withResolvers` (Node 22).
 * Importing this module first fills in just those three when missing (zstd responses then fail; the
 * API server never sends them). On Node 22+ it does nothing. Import it BEFORE '@kubernetes/client-node'
 * (ES imports run in order, so it must be a separate module imported earlier).
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const z = zlib as Mutable<typeof zlib> & { createZstdDecompress?: () => never };
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd decompression needs Node.js 22.15 or later');
  };
}
const wt = workerThreads as Mutable<typeof workerThreads> & { markAsUncloneable?: (o: object) => void };
if (typeof wt.markAsUncloneable !== 'function') wt.markAsUncloneable = () => {};
const P = Promise as PromiseConstructor & { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
