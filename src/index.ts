// Public surface of the skiff package.
export * from './machinery/errors.js';
export type * from './api/types.js';
export type * from './storage/interface.js';
