// `skiff images import/ls` against a real containerd in a temp data dir: an OCI layout tar and a
// docker-archive tar both import and show up in CRI and in the ls table; without containerd the
// command says so and how to start it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { formatImageTable, humanSize, runImages } from '../../cmd/images.js';
import { startContainerd, type ContainerdHandle } from '../containerd/supervisor.js';
import { buildOciImage } from './oci-builder.js';
import { TEST_BUSYBOX_IMAGE, buildBusyboxImage } from './test-images.js';
import { containerdSkipReason } from '../containerd/test-support.js';

function capture(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => (o += d.toString()));
  stderr.on('data', (d: Buffer) => (e += d.toString()));
  return { io: { stdout, stderr }, out: () => o, err: () => e };
}

async function untar(buf: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        if (h.type === 'file') files.set(h.name, Buffer.concat(chunks));
        next();
      });
    });
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.end(buf);
  await done;
  return files;
}

/** Rewrites an OCI layout tar as a docker-archive (`docker save`) tar with an uncompressed layer. */
async function toDockerArchive(ociFile: string, repoTag: string, out: string): Promise<void> {
  const files = await untar(readFileSync(ociFile));
  const blobOf = (d: string): Buffer => files.get(`blobs/sha256/${d.replace('sha256:', '')}`)!;
  const index = JSON.parse(files.get('index.json')!.toString());
  const manifest = JSON.parse(blobOf(index.manifests[0].digest).toString());
  const configHex = manifest.config.digest.replace('sha256:', '');
  const layer = gunzipSync(blobOf(manifest.layers[0].digest));
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  p.entry({ name: `${configHex}.json` }, blobOf(manifest.config.digest));
  p.entry({ name: 'layer0/layer.tar' }, layer);
  p.entry({ name: 'manifest.json' }, JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [repoTag], Layers: ['layer0/layer.tar'] }]));
  p.finalize();
  await ended;
  writeFileSync(out, Buffer.concat(chunks));
}

test('ls table and sizes', () => {
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1_982_256), '1.98MB');
  const table = formatImageTable([
    { id: 'sha256:0123456789abcdef0000', repo_tags: ['b:1', 'a:2'], repo_digests: [], size: 2_000_000, uid: null, username: '', spec: null, pinned: false },
  ]);
  assert.deepEqual(table.split('\n').map((l) => l.split(/\s+/)), [['IMAGE', 'DIGEST', 'SIZE'], ['a:2', '0123456789ab', '2MB'], ['b:1', '0123456789ab', '2MB']]);
});

test('without containerd, images ls says it is not running and how to start it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-img-none-'));
  try {
    const c = capture();
    assert.equal(await runImages(['ls', '--data-dir', dataDir], c.io), 1);
    assert.match(c.err(), /containerd is not running/);
    assert.match(c.err(), new RegExp(`skiff up --data-dir ${dataDir}`));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const skipReason = containerdSkipReason();

test('skiff images import (OCI layout and docker-archive) and ls', { skip: skipReason, timeout: 90_000 }, async () => {
  const dataDir = mkdtempSync('/tmp/skiff-img-');
  let handle: ContainerdHandle | null = null;
  try {
    handle = await startContainerd({ dir: join(dataDir, 'containerd'), podCidr: '10.244.252.0/24', bridgeName: 'skimgtest0' });
    const ociTar = join(dataDir, 'busybox.tar');
    const busybox = await buildBusyboxImage(ociTar);
    const c1 = capture();
    assert.equal(await runImages(['import', ociTar, '--data-dir', dataDir], c1.io), 0, c1.err());
    assert.match(c1.out(), new RegExp(`imported ${TEST_BUSYBOX_IMAGE.replace(/\./g, '\\.')} \\(${busybox.configDigest.slice(7, 19)}\\)`));

    const tiny = await buildOciImage({ name: 'skiff.local/tiny:1', files: [{ imagePath: '/hello', content: 'hello\n' }] }, join(dataDir, 'tiny.tar'));
    const dockerTar = join(dataDir, 'docker.tar');
    await toDockerArchive(tiny.file, 'skiff.local/from-docker:2', dockerTar);
    const c2 = capture();
    assert.equal(await runImages(['import', dockerTar, '--data-dir', dataDir], c2.io), 0, c2.err());
    assert.match(c2.out(), /imported skiff\.local\/from-docker:2/);
    const fromDocker = await handle.client.imageStatus('skiff.local/from-docker:2');
    assert.equal(fromDocker?.id, tiny.configDigest);

    const c3 = capture();
    assert.equal(await runImages(['ls', '--data-dir', dataDir], c3.io), 0, c3.err());
    const ls = c3.out();
    const rows = ls.trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(rows[0], ['IMAGE', 'DIGEST', 'SIZE']);
    const names = rows.slice(1).map((r) => r[0]);
    for (const n of ['skiff.local/busybox:1', 'skiff.local/from-docker:2', 'skiff.local/pause:3.9']) assert.ok(names.includes(n), `${n} in\n${ls}`);
    const bbRow = rows.find((r) => r[0] === TEST_BUSYBOX_IMAGE)!;
    assert.equal(bbRow[1], busybox.configDigest.slice(7, 19));
  } finally {
    await handle?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
