import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { allContainerLogs, compressLogFile, rotateLogFile } from './rotate-log.js';

function tempLog(t: { after: (fn: () => void) => void }): { dir: string; log: string } {
  const root = mkdtempSync(join(tmpdir(), 'skiff-h11-rot-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'ns_pod_uid', 'app');
  mkdirSync(dir, { recursive: true });
  return { dir, log: join(dir, '0.log') };
}

const at = (sec: number): Date => new Date(2025, 0, 1, 10, 0, sec);
/** A fake ReopenContainerLog: the runtime creates a fresh empty file at the log path. */
const reopenCreating = (log: string) => async (): Promise<void> => writeFileSync(log, '', { flag: 'a' });
const lines = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `2025-01-01T10:00:00.000000000Z stdout F ${tag} ${i}\n`).join('');

test('a rotation renames the current log to <log>.<timestamp> and the runtime reopens a fresh file', async (t) => {
  const { dir, log } = tempLog(t);
  writeFileSync(log, lines('first', 100));
  let reopens = 0;
  const result = await rotateLogFile(log, { maxSize: 10, maxFiles: 5 }, async () => {
    reopens++;
    await reopenCreating(log)();
  }, at(1));
  assert.equal(reopens, 1);
  assert.deepEqual(result, { rotated: true, rotatedTo: `${log}.20250101-100001`, removed: [], compressed: [] });
  assert.equal(statSync(log).size, 0);
  assert.equal(readFileSync(`${log}.20250101-100001`, 'utf8'), lines('first', 100));
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20250101-100001']);
});

test('the next rotation gzips the previous rotated file; only the newest rotated stays plain', async (t) => {
  const { dir, log } = tempLog(t);
  writeFileSync(log, lines('one', 50));
  await rotateLogFile(log, { maxSize: 10, maxFiles: 5 }, reopenCreating(log), at(1));
  writeFileSync(log, lines('two', 50), { flag: 'a' });
  const second = await rotateLogFile(log, { maxSize: 10, maxFiles: 5 }, reopenCreating(log), at(2));
  assert.deepEqual(second, { rotated: true, rotatedTo: `${log}.20250101-100002`, removed: [], compressed: [`${log}.20250101-100001.gz`] });
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20250101-100001.gz', '0.log.20250101-100002']);
  assert.equal(gunzipSync(readFileSync(`${log}.20250101-100001.gz`)).toString('utf8'), lines('one', 50));
  assert.equal(readFileSync(`${log}.20250101-100002`, 'utf8'), lines('two', 50));
  assert.deepEqual(await allContainerLogs(log), [`${log}.20250101-100001.gz`, `${log}.20250101-100002`, log]);
});

test('after many rotations at most maxFiles files remain, the oldest removed, all but the newest rotated gzipped', async (t) => {
  const { dir, log } = tempLog(t);
  for (let i = 1; i <= 7; i++) {
    writeFileSync(log, lines(`round${i}`, 20), { flag: 'a' });
    await rotateLogFile(log, { maxSize: 10, maxFiles: 4 }, reopenCreating(log), at(i));
  }
  const files = readdirSync(dir).sort();
  // The current file, the just-rotated (plain) one and maxFiles-2 older (gzipped) ones.
  assert.deepEqual(files, ['0.log', '0.log.20250101-100005.gz', '0.log.20250101-100006.gz', '0.log.20250101-100007']);
  assert.ok(files.length <= 4);
  assert.equal(gunzipSync(readFileSync(join(dir, '0.log.20250101-100005.gz'))).toString('utf8'), lines('round5', 20));

  for (let i = 8; i <= 9; i++) await rotateLogFile(log, { maxSize: 10, maxFiles: 2 }, reopenCreating(log), at(i));
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20250101-100009'], 'maxFiles 2: the current file and one rotated');
});

test('leftovers of a failed rotation (.tmp, plain file whose .gz exists) are removed', async (t) => {
  const { dir, log } = tempLog(t);
  writeFileSync(log, 'current\n');
  writeFileSync(`${log}.20250101-090000.gz`, 'gz');
  writeFileSync(`${log}.20250101-090000`, 'already compressed');
  writeFileSync(`${log}.20250101-090001.tmp`, 'half written');
  const result = await rotateLogFile(log, { maxSize: 1, maxFiles: 5 }, reopenCreating(log), at(3));
  assert.deepEqual(result.removed.sort(), [`${log}.20250101-090000`, `${log}.20250101-090001.tmp`]);
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20250101-090000.gz', '0.log.20250101-100003']);
  assert.equal(readFileSync(`${log}.20250101-090000.gz`, 'utf8'), 'gz', 'compressed files are kept as they are');
});

test('when reopen fails the rotated file is renamed back and the error surfaces', async (t) => {
  const { dir, log } = tempLog(t);
  writeFileSync(log, lines('keep', 10));
  await assert.rejects(rotateLogFile(log, { maxSize: 1, maxFiles: 5 }, async () => { throw new Error('container not running'); }, at(4)), /container not running/);
  assert.deepEqual(readdirSync(dir), ['0.log']);
  assert.equal(readFileSync(log, 'utf8'), lines('keep', 10));
});

test('a second rotation in the same second leaves the log alone instead of clobbering a rotated file', async (t) => {
  const { dir, log } = tempLog(t);
  writeFileSync(log, 'a\n');
  await rotateLogFile(log, { maxSize: 1, maxFiles: 5 }, reopenCreating(log), at(5));
  writeFileSync(log, 'b\n', { flag: 'a' });
  let reopened = false;
  const again = await rotateLogFile(log, { maxSize: 1, maxFiles: 5 }, async () => { reopened = true; }, at(5));
  assert.equal(again.rotated, false);
  assert.equal(reopened, false);
  assert.equal(readFileSync(log, 'utf8'), 'b\n');
  assert.equal(gunzipSync(readFileSync(`${log}.20250101-100005.gz`)).toString(), 'a\n');
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20250101-100005.gz']);
});

test('compression streams through zlib: the event loop keeps running while a big file is gzipped', async (t) => {
  const { log } = tempLog(t);
  const file = `${log}.20250101-100000`;
  writeFileSync(file, lines('bulk', 200_000)); // ~11 MB
  chmodSync(file, 0o640);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = Date.now();
  const out = await compressLogFile(file);
  const took = Date.now() - started;
  clearInterval(timer);
  assert.equal(out, `${file}.gz`);
  assert.equal(existsSync(file), false);
  assert.equal(existsSync(`${file}.tmp`), false);
  assert.equal(statSync(out).mode & 0o777, 0o640, 'the mode of the log is kept');
  assert.equal(gunzipSync(readFileSync(out)).toString('utf8'), lines('bulk', 200_000));
  assert.ok(ticks >= 3, `timers ran ${ticks} times during ${took} ms of compression`);
});
