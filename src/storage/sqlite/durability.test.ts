/**
 * Durability of the SQLite backend: a writer process SIGKILLed mid-stream loses no write whose
 * promise had resolved (the child prints a key only after its create resolved).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStorage } from './index.js';
import { durabilityValue } from './durability-child.js';

const here = fileURLToPath(import.meta.url);
const childPath = join(here, '..', `durability-child${here.endsWith('.ts') ? '.ts' : '.js'}`);

test('sqlite: every create that resolved survives SIGKILL of the writer process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-durable-'));
  const path = join(dir, 'state.db');
  try {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
    const child = spawn(process.execPath, [...execArgv, childPath, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    let partial = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${acknowledged.length} writes acknowledged in 60 s`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        acknowledged.push(...lines);
        if (acknowledged.length >= 2000) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error('writer exited before it was killed')));
    });
    assert.equal(await exited, 'SIGKILL');
    // Whatever was still in the pipe was also acknowledged before the kill.
    if (partial) acknowledged.push(partial.trim());

    const raw = new Database(path, { readonly: true });
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
    const store = openSqliteStorage(path);
    try {
      for (const key of acknowledged) {
        const kv = await store.get(key);
        assert.ok(kv, `acknowledged create of ${key} was lost`);
        assert.equal(kv.value, durabilityValue(key));
      }
      assert.ok((await store.count('/durable/')) >= acknowledged.length);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
