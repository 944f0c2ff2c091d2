/**
 * A real OCI registry for image pull tests: Debian's `docker-registry` (CNCF distribution) on a free
 * loopback port, optionally behind htpasswd basic auth, and a small pusher that uploads an OCI image
 * layout tar (as the image builder writes it) through the registry's HTTP API v2.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:41234 */
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startRegistry(auth?: { user: string; password: string }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-registry-'));
  const port = await freePort();
  const authYaml = auth ? `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${join(dir, 'htpasswd')}\n` : '';
  if (auth) writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', auth.user, auth.password]));
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`);
  const proc: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.status === 200 || r.status === 401, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async stop() {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads the blobs and index of an OCI layout tar. */
async function readLayout(file: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tarStream.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        files.set(header.name.replace(/^\.\//, ''), Buffer.concat(chunks));
        next();
      });
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from(readFileSync(file)).pipe(extract);
  await done;
  return files;
}

/** Pushes the single image of an OCI layout tar to `registry` as `repo:tag`. */
export async function pushOciLayout(file: string, registry: string, repo: string, tag: string, auth?: { user: string; password: string }): Promise<void> {
  const files = await readLayout(file);
  const headers: Record<string, string> = auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {};
  const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: Array<{ digest: string; mediaType: string }> };
  const desc = index.manifests[0]!;
  const blob = (digest: string) => files.get(`blobs/${digest.replace(':', '/')}`)!;
  const manifestBytes = blob(desc.digest);
  const manifest = JSON.parse(manifestBytes.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
  for (const digest of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
    if (start.status !== 202) throw new Error(`start upload: HTTP ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location')!, `http://${registry}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(blob(digest)) });
    if (put.status !== 201) throw new Error(`upload ${digest}: HTTP ${put.status} ${await put.text()}`);
  }
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { ...headers, 'Content-Type': desc.mediaType }, body: new Uint8Array(manifestBytes) });
  if (res.status !== 201) throw new Error(`put manifest: HTTP ${res.status} ${await res.text()}`);
}
