import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeContainer, removePodLogDirs } from './container-removal.js';
import type { KubeletParts } from './pod-context.js';

test('a gone pod takes only its own log directories', async () => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
  try {
    for (const d of ['default_web_uid-1/main', 'other_web_uid-1/main', 'default_web_uid-10/main', 'default_db_uid-2/main']) {
      mkdirSync(join(root, d), { recursive: true });
      writeFileSync(join(root, d, '0.log'), 'x\n');
    }
    await removePodLogDirs(root, 'uid-1');
    assert.equal(existsSync(join(root, 'default_web_uid-1')), false);
    assert.equal(existsSync(join(root, 'other_web_uid-1')), false);
    assert.equal(existsSync(join(root, 'default_web_uid-10')), true, 'a uid that merely starts the same is kept');
    assert.equal(existsSync(join(root, 'default_db_uid-2')), true);
    await removePodLogDirs(join(root, 'missing'), 'uid-2'); // no log root yet: nothing to do
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a removed container has its logs cleaned first, and a failing clean does not keep it', async () => {
  const calls: string[] = [];
  const parts = {
    logs: { clean: async (id: string) => { calls.push(`clean ${id}`); if (id === 'b') throw new Error('no status'); } },
    cri: { removeContainer: async (id: string) => { calls.push(`remove ${id}`); } },
  } as unknown as KubeletParts;
  await removeContainer(parts, 'a');
  await removeContainer(parts, 'b');
  assert.deepEqual(calls, ['clean a', 'remove a', 'clean b', 'remove b']);
});
