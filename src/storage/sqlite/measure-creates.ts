/**
 * A quick throughput probe (not a test): durable creates/s into a SQLite store from N concurrent
 * callers. Usage: `npx tsx src/storage/sqlite/measure-creates.ts [callers=64] [seconds=5] [dir]`.
 * Prints one JSON line. The real benchmark lives in bench/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from './index.js';

const callers = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(process.argv[4] ?? tmpdir(), 'skiff-measure-'));
const store = openSqliteStorage(join(dir, 'state.db'));
const value = JSON.stringify({ kind: 'ConfigMap', data: { payload: 'x'.repeat(400) } });
const deadline = Date.now() + seconds * 1000;
let done = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: callers }, async (_, c) => {
    for (let n = 0; Date.now() < deadline; n++) {
      await store.create(`/registry/configmaps/c${c}/${n}`, value);
      done++;
    }
  }),
);
const elapsed = (Date.now() - started) / 1000;
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ backend: 'sqlite', callers, creates: done, seconds: elapsed, createsPerSecond: Math.round(done / elapsed) }));
