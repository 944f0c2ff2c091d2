// The kubelet's log reader (src/kubelet/server/log-reader.ts, not ours) against files rotated by
// this folder's rotateLogFile: `kubectl logs` serves the current file after a rotation (upstream
// does the same: rotated files are not read), and `kubectl logs -f` moves on to the new file.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parseLogOptions } from '../server/cri-log.js';
import { streamContainerLog } from '../server/log-reader.js';
import { rotateLogFile } from './rotate-log.js';

const rec = (text: string): string => `2026-01-01T00:00:00.000000000Z stdout F ${text}\n`;
const recs = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => rec(`${tag}-${i}`)).join('');
const expected = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `${tag}-${i}\n`).join('');

function tempLog(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-h11-reader-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, '0.log');
}

const rotate = (log: string, sec: number) =>
  rotateLogFile(log, { maxSize: 1, maxFiles: 5 }, async () => writeFileSync(log, '', { flag: 'a' }), new Date(2026, 0, 1, 0, 0, sec));

async function read(log: string, query: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await streamContainerLog(log, parseLogOptions(new URLSearchParams(query)), out);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts `kubectl logs -f`; `text()` is what it has written so far. */
function follow(log: string): { text: () => string; waitFor: (s: string) => Promise<void>; stop: () => Promise<void> } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const abort = new AbortController();
  const done = streamContainerLog(log, parseLogOptions(new URLSearchParams('follow=true')), out, { signal: abort.signal, pollMs: 20, isRunning: async () => true });
  return {
    text: () => text,
    waitFor: async (s: string) => {
      const deadline = Date.now() + 5000;
      while (!text.endsWith(s) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(text.endsWith(s), `follower output ends with ${JSON.stringify(s.slice(-40))}; got ...${JSON.stringify(text.slice(-80))}`);
    },
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

test('kubectl logs after a rotation serves the new current file (with tail too)', async (t) => {
  const log = tempLog(t);
  writeFileSync(log, recs('old', 50));
  assert.equal(await read(log, ''), expected('old', 50));
  await rotate(log, 1);
  assert.equal(await read(log, ''), '', 'just after the rotation the current file is empty');
  appendFileSync(log, recs('new', 5));
  assert.equal(await read(log, ''), expected('new', 5));
  assert.equal(await read(log, 'tailLines=2'), 'new-3\nnew-4\n');
});

test('kubectl logs -f keeps following into the file the runtime reopened', async (t) => {
  const log = tempLog(t);
  writeFileSync(log, recs('before', 200));
  const f = follow(log);
  try {
    await f.waitFor('before-199\n');
    await rotate(log, 2);
    // Less than was read before: the reader sees the size drop and starts at the top of the new file.
    appendFileSync(log, recs('after', 3));
    await f.waitFor('after-2\n');
    assert.equal(f.text(), expected('before', 200) + expected('after', 3));
    await rotate(log, 3);
    appendFileSync(log, recs('third', 2));
    await f.waitFor('third-1\n');
  } finally {
    await f.stop();
  }
});

test('kubectl logs -f loses nothing written just before a rotation', async (t) => {
  const log = tempLog(t);
  writeFileSync(log, recs('a', 10));
  const f = follow(log);
  try {
    await f.waitFor('a-9\n');
    // In one tick, as it can happen between two polls: a last write, rename, reopen, a new write.
    appendFileSync(log, recs('b', 3));
    renameSync(log, `${log}.20260101-000004`);
    writeFileSync(log, recs('c', 2));
    await f.waitFor('c-1\n');
    assert.equal(f.text(), expected('a', 10) + expected('b', 3) + expected('c', 2));
  } finally {
    await f.stop();
  }
});
