import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { measureDirUsage, measureFilesIn, measureUsageOrZero } from './disk-usage.js';

const MiB = 1024 * 1024;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-h10-du-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** GNU du's answer in bytes (-x one filesystem, -B1 bytes, -s summary). */
function du(p: string): number {
  return Number(execFileSync('du', ['-x', '-s', '-B1', p], { encoding: 'utf8' }).split('\t')[0]);
}

test('a tree counts the blocks allocated, as du does', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a/one'), Buffer.alloc(MiB, 1));
  fs.writeFileSync(path.join(dir, 'a/b/two'), Buffer.alloc(3 * MiB + 17, 2));
  fs.writeFileSync(path.join(dir, 'small'), 'x');
  const used = await measureDirUsage(dir);
  assert.ok(used >= 4 * MiB, `${used} >= 4 MiB of data`);
  assert.equal(used, du(dir));
});

test('sparse files count what they use, not their length', async (t) => {
  const dir = tempDir(t);
  const f = path.join(dir, 'sparse');
  fs.writeFileSync(f, '');
  fs.truncateSync(f, 64 * MiB);
  const used = await measureDirUsage(dir);
  assert.ok(used < MiB, `sparse 64 MiB file uses ${used}`);
  assert.equal(used, du(dir));
});

test('symlinks are not followed; hard links count once', async (t) => {
  const dir = tempDir(t);
  const outside = tempDir(t);
  fs.writeFileSync(path.join(outside, 'big'), Buffer.alloc(8 * MiB, 3));
  fs.mkdirSync(path.join(dir, 'v'));
  fs.symlinkSync(path.join(outside, 'big'), path.join(dir, 'v/link-to-file'));
  fs.symlinkSync(outside, path.join(dir, 'v/link-to-dir'));
  const before = await measureDirUsage(path.join(dir, 'v'));
  assert.ok(before < 64 * 1024, `symlinks only: ${before}`);
  fs.writeFileSync(path.join(dir, 'v/data'), Buffer.alloc(2 * MiB, 4));
  fs.linkSync(path.join(dir, 'v/data'), path.join(dir, 'v/data-again'));
  const after = await measureDirUsage(path.join(dir, 'v'));
  assert.ok(after - before >= 2 * MiB && after - before < 3 * MiB, `hard-linked 2 MiB counted once: ${after - before}`);
  assert.equal(after, du(path.join(dir, 'v')));
});

test('missing paths: measureDirUsage throws ENOENT, measureUsageOrZero and measureFilesIn give 0', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(measureDirUsage(path.join(dir, 'nope')), { code: 'ENOENT' });
  assert.equal(await measureUsageOrZero(path.join(dir, 'nope')), 0);
  assert.equal(await measureFilesIn(path.join(dir, 'nope')), 0);
});

test('measureFilesIn counts only the files directly in the directory', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, '0.log'), Buffer.alloc(MiB, 5));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub/other.log'), Buffer.alloc(4 * MiB, 6));
  const files = await measureFilesIn(dir);
  assert.equal(files, du(path.join(dir, '0.log')));
  assert.ok(files >= MiB && files < 2 * MiB);
});

test('the walk yields: timers keep firing while a large tree is measured', async (t) => {
  const dir = tempDir(t);
  for (let d = 0; d < 20; d++) {
    fs.mkdirSync(path.join(dir, `d${d}`));
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `d${d}`, `f${f}`), 'data');
  }
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  let maxGap = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  let used: number;
  try {
    used = await measureDirUsage(dir);
  } finally {
    clearInterval(timer);
    clearInterval(probe);
  }
  assert.equal(used, du(dir));
  assert.ok(ticks > 5, `timers ran ${ticks} times during the walk`);
  assert.ok(maxGap < 1000, `longest event-loop stall ${maxGap.toFixed(1)} ms`);
});
