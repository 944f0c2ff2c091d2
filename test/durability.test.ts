// Durability: 16 concurrent writers against a `skiff up` process that is SIGKILLed mid-stream; after a
// restart on the same data, every create that got 201 is present and intact. SQLite and etcd.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';

const CLI = fileURLToPath(new URL('../src/cmd/skiff.js', import.meta.url));

async function startSkiff(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [CLI, 'up', '--api-port', '0', '--runtime', 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff up did not get ready: ${err}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /API server at (https:\/\/\S+);/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`skiff up exited with ${code}: ${err}`)));
  });
  return { proc, url };
}

async function killedMidStream(dataDir: string, extra: string[]): Promise<void> {
  const first = await startSkiff(['--data-dir', dataDir, ...extra]);
  const client = new RestClient(loadKubeconfig(join(dataDir, 'kubeconfig.yaml')));
  const acknowledged = new Map<string, string>();
  let stop = false;
  const writers = Array.from({ length: 16 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const name = `w${w}-${i}`;
      const payload = `${name}:${'x'.repeat(200)}`;
      try {
        const res = await client.post('/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { payload } });
        if (res.status === 201) acknowledged.set(name, payload);
      } catch {
        return; // the server died under us
      }
    }
  });
  // Kill mid-stream once a good number of creates were acknowledged (or after 15 s on a slow machine).
  const deadline = Date.now() + 15_000;
  while (acknowledged.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  first.proc.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  client.close();
  assert.ok(acknowledged.size > 50, `only ${acknowledged.size} creates were acknowledged before the kill`);

  const second = await startSkiff(['--data-dir', dataDir, ...extra]);
  const after = new RestClient(loadKubeconfig(join(dataDir, 'kubeconfig.yaml')));
  try {
    const list = await after.get<{ items: Array<{ metadata: { name: string }; data: { payload: string } }> }>('/api/v1/namespaces/default/configmaps');
    const stored = new Map(list.body.items.map((i) => [i.metadata.name, i.data.payload]));
    for (const [name, payload] of acknowledged) {
      assert.equal(stored.get(name), payload, `acknowledged create ${name} is missing or corrupted`);
    }
  } finally {
    after.close();
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.once('exit', r));
  }
}

describe('durability under SIGKILL', () => {
  it('sqlite: every acknowledged create survives', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'skiff-dur-'));
    try {
      await killedMidStream(dataDir, []);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('etcd: every acknowledged create survives', { skip: existsSync('/usr/bin/etcd') ? false : 'etcd is not installed (/usr/bin/etcd)' }, async () => {
    const { startTestEtcd } = await import('../src/storage/etcd/test-etcd.js');
    const etcd = await startTestEtcd();
    const dataDir = mkdtempSync(join(tmpdir(), 'skiff-dur-etcd-'));
    try {
      await killedMidStream(dataDir, ['--storage', 'etcd', '--etcd-endpoints', etcd.endpoint]);
    } finally {
      await etcd.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
