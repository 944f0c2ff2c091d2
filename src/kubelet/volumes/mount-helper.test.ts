import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MountHelper } from './mount-helper.js';
import { isMountPoint } from './mount-utils.js';

test('commands run in order through one shell; failures carry their output and exit code', async () => {
  const helper = new MountHelper();
  try {
    const dir = mkdtempSync(join(tmpdir(), "skiff mount-helper it's-"));
    const results = await Promise.allSettled([
      helper.run(['mkdir', join(dir, 'a b')]),
      helper.run(['test', '-d', join(dir, 'a b')]),
      helper.run(['sh', '-c', 'echo "boom $0"; exit 3', "it's"]),
      helper.run(['true']),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const err = (results[2] as PromiseRejectedResult).reason as Error & { code?: number };
    assert.match(err.message, /boom it's/);
    assert.equal(err.code, 3);
    assert.ok(existsSync(join(dir, 'a b')));
    rmSync(dir, { recursive: true, force: true });
  } finally {
    helper.close();
  }
});

test('a new shell starts after the old one ended', async () => {
  const helper = new MountHelper();
  await helper.run(['true']);
  helper.close();
  await helper.run(['true']);
  await assert.rejects(helper.run(['false']));
  helper.close();
});

test('tmpfs mount and umount through the helper (root)', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to mount');
  const helper = new MountHelper();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-mount-helper-'));
  try {
    await helper.run(['mount', '-t', 'tmpfs', '-o', 'size=1048576', 'tmpfs', dir]);
    assert.equal(await isMountPoint(dir), true);
    await helper.run(['umount', dir]);
    assert.equal(await isMountPoint(dir), false);
    await assert.rejects(helper.run(['umount', dir]), /umount/);
  } finally {
    helper.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
