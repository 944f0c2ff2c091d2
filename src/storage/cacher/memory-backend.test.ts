/** The test-only memory backend must itself honour the Storage contract it fakes. */
import { storageConformance } from '../conformance.case.js';
import { MemoryBackend } from './memory-backend.js';

storageConformance('memory (test fake)', async () => {
  const store = new MemoryBackend();
  return { store, cleanup: () => store.close() };
});
