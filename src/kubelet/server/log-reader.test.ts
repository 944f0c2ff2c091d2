import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseCriRecord, parseLogOptions } from './cri-log.js';
import { streamContainerLog } from './log-reader.js';

const T = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace('Z', '123456Z');

function sample(): string {
  return [
    `${T(1)} stdout F one`,
    `${T(2)} stderr F two`,
    `${T(3)} stdout P thr`,
    `${T(3)} stderr F err-in-between`,
    `${T(4)} stdout F ee`,
    `${T(5)} stdout F five`,
    '',
  ].join('\n');
}

async function collect(path: string, q: string, control = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await streamContainerLog(path, parseLogOptions(new URLSearchParams(q), Date.UTC(2026, 0, 1, 0, 0, 10)), out, control);
  return Buffer.concat(chunks).toString('utf8');
}

function withLog(content: string): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
  const path = join(dir, '0.log');
  writeFileSync(path, content);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('parses CRI records, ignoring junk', () => {
  const r = parseCriRecord('2016-10-06T00:17:09.669794202Z stdout F hello world');
  assert.equal(r?.stream, 'stdout');
  assert.equal(r?.partial, false);
  assert.equal(r?.message, 'hello world');
  assert.equal(r?.timeMs, Date.parse('2016-10-06T00:17:09.669Z'));
  assert.equal(parseCriRecord('2016-10-06T00:17:09Z stdout P')?.message, '');
  assert.equal(parseCriRecord('garbage'), undefined);
  assert.equal(parseCriRecord('notatime stdout F x'), undefined);
});

test('whole log: partial lines joined, streams interleaved in file order', async () => {
  const { path, cleanup } = withLog(sample());
  try {
    assert.equal(await collect(path, ''), 'one\ntwo\nerr-in-between\nthree\nfive\n');
  } finally {
    cleanup();
  }
});

test('tailLines, timestamps, sinceTime, sinceSeconds, limitBytes', async () => {
  const { path, cleanup } = withLog(sample());
  try {
    assert.equal(await collect(path, 'tailLines=2'), 'three\nfive\n');
    assert.equal(await collect(path, 'tailLines=0'), '');
    assert.equal(await collect(path, 'tailLines=1&timestamps=true'), `${T(5)} five\n`);
    // The joined line keeps the first fragment's time (3 s), so since 3 s keeps it.
    assert.equal(await collect(path, `sinceTime=${encodeURIComponent(new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString())}`), 'err-in-between\nthree\nfive\n');
    // now = 10 s in collect(): since 6 s ago = 4 s.
    assert.equal(await collect(path, 'sinceSeconds=6'), 'five\n');
    assert.equal(await collect(path, 'limitBytes=6'), 'one\ntw');
  } finally {
    cleanup();
  }
});

test('big files: streamed in chunks, partial records joined across chunk edges, tail reads only the end', async () => {
  const expected: string[] = [];
  const records: string[] = [];
  for (let i = 0; i < 30_000; i++) {
    const text = `line ${i} ${'x'.repeat(i % 50)}`;
    expected.push(text);
    if (i % 7 === 0) records.push(`${T(1)} stdout P ${text.slice(0, 5)}`, `${T(1)} stdout F ${text.slice(5)}`);
    else records.push(`${T(1)} ${i % 3 ? 'stdout' : 'stderr'} F ${text}`);
  }
  const { path, cleanup } = withLog(`${records.join('\n')}\n`);
  try {
    const all = await collect(path, '');
    assert.equal(all, `${expected.join('\n')}\n`);
    assert.equal(await collect(path, 'tailLines=4'), `${expected.slice(-4).join('\n')}\n`);
    assert.equal(await collect(path, 'tailLines=29999'), `${expected.slice(-29999).join('\n')}\n`);
  } finally {
    cleanup();
  }
});

test('bad options are rejected with the field name', () => {
  assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=-1')), /tailLines/);
  assert.throws(() => parseLogOptions(new URLSearchParams('sinceSeconds=5&sinceTime=2020-01-01T00:00:00Z')), /at most one/);
  assert.throws(() => parseLogOptions(new URLSearchParams('sinceTime=yesterday')), /sinceTime/);
});

test('follow streams appended records until the container stops and the file is drained', async () => {
  const { path, cleanup } = withLog(`${T(1)} stdout F first\n`);
  try {
    let running = true;
    const out = new PassThrough();
    const seen: string[] = [];
    out.on('data', (c: Buffer) => seen.push(c.toString()));
    const done = streamContainerLog(path, { follow: true }, out, { isRunning: async () => running, pollMs: 20, runningCheckMs: 50 });
    await waitFor(() => seen.join('') === 'first\n');
    appendFileSync(path, `${T(2)} stdout P sec`);
    appendFileSync(path, `ond\n${T(2)} stdout F !\n`); // a record split across two writes
    await waitFor(() => seen.join('') === 'first\nsecond!\n');
    appendFileSync(path, `${T(3)} stderr F last words\n`);
    running = false;
    await done;
    assert.equal(seen.join(''), 'first\nsecond!\nlast words\n');
  } finally {
    cleanup();
  }
});

test('follow ends when the client aborts', async () => {
  const { path, cleanup } = withLog(`${T(1)} stdout F a\n`);
  try {
    const ac = new AbortController();
    const out = new PassThrough();
    out.resume();
    const done = streamContainerLog(path, { follow: true }, out, { signal: ac.signal, isRunning: async () => true, pollMs: 20 });
    setTimeout(() => ac.abort(), 100);
    await done; // would hang forever without the abort
  } finally {
    cleanup();
  }
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
