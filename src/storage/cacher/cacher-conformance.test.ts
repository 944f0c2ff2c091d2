/**
 * The shared storage conformance suite run through the watch cache: the cacher must behave exactly
 * like a Storage. The whole key space ('/') is cached so every list and watch is served from memory.
 */
import { storageConformance } from '../conformance.case.js';
import { openSqliteStorage } from '../sqlite/index.js';
import type { Storage } from '../interface.js';
import { createCacher } from './cacher.js';
import { MemoryBackend } from './memory-backend.js';

async function cached(backend: Storage) {
  const store = createCacher(backend, { eventBufferCapacity: 1000 });
  await store.cacheResource('/');
  return { store, cleanup: () => store.close() };
}

storageConformance('cacher(memory)', () => cached(new MemoryBackend()));
storageConformance('cacher(sqlite :memory:)', () => cached(openSqliteStorage(':memory:')));
