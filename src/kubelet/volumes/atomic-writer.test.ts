import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { payloadPathError, writePayloadAtomically, type Payload } from './atomic-writer.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

test('layout: timestamped dir, ..data symlink, visible symlinks into ..data', async () => {
  const payload: Payload = new Map([
    ['a.txt', file('A')],
    ['sub/b.txt', file('B', 0o600)],
  ]);
  assert.equal(await writePayloadAtomically(dir, payload), true);
  const data = fs.readlinkSync(path.join(dir, '..data'));
  assert.match(data, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{9}$/);
  assert.equal(fs.readlinkSync(path.join(dir, 'a.txt')), '..data/a.txt');
  assert.equal(fs.readlinkSync(path.join(dir, 'sub')), '..data/sub');
  assert.equal(fs.readFileSync(path.join(dir, 'sub/b.txt'), 'utf8'), 'B');
  assert.equal(fs.statSync(path.join(dir, 'sub/b.txt')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dir, 'a.txt')).mode & 0o777, 0o644);
});

test('same payload again changes nothing; a new one swaps ..data and drops old entries', async () => {
  await writePayloadAtomically(dir, new Map([['a', file('1')], ['gone', file('x')]]));
  const first = fs.readlinkSync(path.join(dir, '..data'));
  assert.equal(await writePayloadAtomically(dir, new Map([['a', file('1')], ['gone', file('x')]])), false);
  assert.equal(fs.readlinkSync(path.join(dir, '..data')), first);

  assert.equal(await writePayloadAtomically(dir, new Map([['a', file('2')], ['new', file('n')]])), true);
  const second = fs.readlinkSync(path.join(dir, '..data'));
  assert.notEqual(second, first);
  assert.equal(fs.existsSync(path.join(dir, first)), false, 'old timestamped dir removed');
  assert.equal(fs.existsSync(path.join(dir, 'gone')), false);
  assert.equal(fs.readFileSync(path.join(dir, 'new'), 'utf8'), 'n');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['..data', second, 'a', 'new'].sort());
});

test('a mode change alone is an update', async () => {
  await writePayloadAtomically(dir, new Map([['k', file('v', 0o644)]]));
  assert.equal(await writePayloadAtomically(dir, new Map([['k', file('v', 0o400)]])), true);
  assert.equal(fs.statSync(path.join(dir, 'k')).mode & 0o777, 0o400);
});

test('an open path sees the new content after an update (reads through the symlink)', async () => {
  await writePayloadAtomically(dir, new Map([['config', file('old')]]));
  const visible = path.join(dir, 'config');
  assert.equal(fs.readFileSync(visible, 'utf8'), 'old');
  await writePayloadAtomically(dir, new Map([['config', file('new')]]));
  assert.equal(fs.readFileSync(visible, 'utf8'), 'new');
});

test('payload paths are validated as upstream', async () => {
  assert.match(payloadPathError('../x') ?? '', /must not contain '\.\.'/);
  assert.match(payloadPathError('/abs') ?? '', /must be relative/);
  assert.match(payloadPathError('..hidden') ?? '', /must not start with '\.\.'/);
  assert.equal(payloadPathError('ok/file'), undefined);
  await assert.rejects(writePayloadAtomically(dir, new Map([['a/../../x', file('x')]])), /must not contain/);
});
