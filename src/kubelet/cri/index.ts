/** CRI runtime.v1 over gRPC: the client and the message types (see client.ts, types.ts). */
export { CriClient, CriError, isCriNotFound, CRI_API_VERSION } from './client.js';
export type { CriConnectOptions } from './client.js';
export type * from './types.js';
