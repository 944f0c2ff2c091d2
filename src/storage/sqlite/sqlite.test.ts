/** The SQLite backend against the shared conformance suite, plus what only a file-backed store can show. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectEvents, storageConformance } from '../conformance.case.js';
import { openSqliteStorage } from './index.js';

function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

storageConformance('sqlite (file)', async () => {
  const { dir, remove } = tempDir();
  const store = openSqliteStorage(join(dir, 'state.db'));
  return { store, cleanup: async () => (await store.close(), remove()) };
});

storageConformance('sqlite (:memory:)', async () => {
  const store = openSqliteStorage(':memory:');
  return { store, cleanup: () => store.close() };
});

test('sqlite: data survives close and reopen', async () => {
  const { dir, remove } = tempDir();
  try {
    const path = join(dir, 'state.db');
    const a = openSqliteStorage(path);
    const kv = await a.create('/k', 'v');
    await a.update('/k', 'v2');
    await a.close();
    const b = openSqliteStorage(path);
    assert.equal((await b.get('/k'))?.value, 'v2');
    assert.equal((await b.get('/k'))?.createRevision, kv.createRevision);
    assert.equal(await b.currentRevision(), kv.modRevision + 1);
    await b.close();
  } finally {
    remove();
  }
});

test('sqlite: a watcher sees writes made by another connection to the same file (poll)', async () => {
  const { dir, remove } = tempDir();
  const path = join(dir, 'state.db');
  const watcherSide = openSqliteStorage(path, { pollIntervalMs: 20 });
  const writerSide = openSqliteStorage(path);
  try {
    const from = await watcherSide.currentRevision();
    const watching = collectEvents(watcherSide, '/m/', from, 4);
    const a = await writerSide.create('/m/a', '1');
    const local = await watcherSide.create('/m/b', '1');
    const u = await writerSide.update('/m/a', '2');
    const deleted = await watcherSide.delete('/m/b');
    const events = await watching;
    assert.deepEqual(events.map((e) => e.revision), [a.modRevision, local.modRevision, u.modRevision, u.modRevision + 1]);
    assert.deepEqual(events.map((e) => e.type), ['put', 'put', 'put', 'delete']);
    assert.deepEqual(events[3].type === 'delete' && events[3].prevKv, deleted);
  } finally {
    await watcherSide.close();
    await writerSide.close();
    remove();
  }
});

test('sqlite: deleted revision of a tombstone is the store revision after the delete', async () => {
  const store = openSqliteStorage(':memory:');
  const kv = await store.create('/t', '1');
  await store.delete('/t');
  assert.equal(await store.currentRevision(), kv.modRevision + 1);
  await store.close();
});

test('sqlite: automatic compaction keeps the configured number of revisions', async () => {
  const store = openSqliteStorage(':memory:', { autoCompact: { intervalMs: 30, keepRevisions: 5 } });
  try {
    for (let i = 0; i < 20; i++) await store.create(`/ac/${i}`, 'x');
    const written = await store.currentRevision();
    const deadline = Date.now() + 5000;
    while ((await store.compactedRevision()) < written - 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await store.compactedRevision(), written - 5);
    await assert.rejects(store.list('/ac/', { revision: written - 6 }), { code: 'Expired' });
    assert.equal(await store.count('/ac/'), 20);
  } finally {
    await store.close();
  }
});

test('sqlite: a value above the size limit is refused with TooLarge', async () => {
  const store = openSqliteStorage(':memory:', { maxValueBytes: 10 });
  await assert.rejects(store.create('/big', 'x'.repeat(11)), { code: 'TooLarge' });
  await store.close();
});

test('sqlite: an idle watch reports progress with the store revision; closed stores answer Unavailable', async () => {
  const store = openSqliteStorage(':memory:', { pollIntervalMs: 20, progressIntervalMs: 50 });
  const kv = await store.create('/idle/a', '1');
  const progressed = await new Promise<number>((resolve, reject) => {
    const w = store.watch('/idle/', { fromRevision: kv.modRevision, onProgress: (rev) => (w.stop(), resolve(rev)) }, () => reject(new Error('no events expected')), reject);
  });
  assert.equal(progressed, kv.modRevision);
  const ended = new Promise<Error>((resolve) => store.watch('/idle/', { fromRevision: kv.modRevision }, () => undefined, resolve));
  await new Promise((r) => setTimeout(r, 30));
  await store.close();
  assert.equal(((await ended) as { code?: string }).code, 'Unavailable');
  await assert.rejects(store.get('/idle/a'), { code: 'Unavailable' });
  await assert.rejects(store.create('/idle/b', 'x'), { code: 'Unavailable' });
});

test('sqlite: a watch ends with Expired when another connection compacts history it has not delivered yet', async () => {
  const { dir, remove } = tempDir();
  const path = join(dir, 'state.db');
  const slow = openSqliteStorage(path, { pollIntervalMs: 60_000 });
  const other = openSqliteStorage(path);
  try {
    const from = await slow.currentRevision();
    const ended = new Promise<Error>((resolve, reject) => slow.watch('/e/', { fromRevision: from }, () => reject(new Error('no event expected')), resolve));
    await new Promise((r) => setTimeout(r, 20)); // the watch is registered
    for (let i = 0; i < 5; i++) await other.create(`/e/${i}`, 'x');
    await other.delete('/e/0');
    await other.compact(await other.currentRevision());
    await slow.create('/e/local', 'x'); // the local commit finds a gap and reads the table
    const err = (await ended) as { code?: string; revision?: number };
    assert.equal(err.code, 'Expired');
    assert.equal(err.revision, await other.compactedRevision());
  } finally {
    await slow.close();
    await other.close();
    remove();
  }
});
