// The OCI layout builder: blobs named by their digests, manifest/config/index consistent, layer
// contents (parents, modes, symlinks), reproducible digests, and the busybox/pause test images.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { buildOciImage, sha256Digest, type OciImageDefinition } from './oci-builder.js';
import { BUSYBOX_APPLETS, TEST_BUSYBOX_IMAGE, buildBusyboxImage, buildPauseImage } from './test-images.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-oci-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Entry { header: Header; data: Buffer }

async function readTar(buf: Buffer): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        entries.set(header.name, { header, data: Buffer.concat(chunks) });
        next();
      });
      stream.resume();
    });
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.end(buf);
  await done;
  return entries;
}

function blob(entries: Map<string, Entry>, digest: string): Buffer {
  const e = entries.get(`blobs/sha256/${digest.replace('sha256:', '')}`);
  assert.ok(e, `blob ${digest} present`);
  return e.data;
}

const definition: OciImageDefinition = {
  name: 'skiff.local/unit:7',
  files: [
    { imagePath: '/app/run.sh', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
    { imagePath: 'etc/motd', content: Buffer.from('hello\n') },
  ],
  symlinks: [{ imagePath: '/bin/run', target: '/app/run.sh' }],
  directories: [{ imagePath: '/tmp', mode: 0o1777 }],
  config: { Entrypoint: ['/app/run.sh'], Cmd: ['--flag'], Env: ['A=1'], WorkingDir: '/app', User: '65534', ExposedPorts: { '8080/tcp': {} } },
};

test('OCI layout: every blob is named by its sha256 and the documents agree', async () => {
  const built = await buildOciImage(definition, join(dir, 'unit.tar'));
  const entries = await readTar(readFileSync(built.file));
  assert.deepEqual(JSON.parse(entries.get('oci-layout')!.data.toString()), { imageLayoutVersion: '1.0.0' });
  for (const [name, e] of entries) {
    if (!name.startsWith('blobs/sha256/') || e.header.type !== 'file') continue;
    assert.equal(sha256Digest(e.data), `sha256:${name.slice('blobs/sha256/'.length)}`, `${name} content matches its name`);
  }
  const index = JSON.parse(entries.get('index.json')!.data.toString());
  assert.equal(index.manifests.length, 1);
  const desc = index.manifests[0];
  assert.equal(desc.digest, built.manifestDigest);
  assert.equal(desc.annotations['io.containerd.image.name'], 'skiff.local/unit:7');
  assert.equal(desc.annotations['org.opencontainers.image.ref.name'], '7');
  const manifestBytes = blob(entries, desc.digest);
  assert.equal(desc.size, manifestBytes.length);

  const manifest = JSON.parse(manifestBytes.toString());
  assert.equal(manifest.config.digest, built.configDigest);
  assert.equal(manifest.config.size, blob(entries, built.configDigest).length);
  assert.equal(manifest.layers[0].digest, built.layerDigest);
  const layerGz = blob(entries, built.layerDigest);
  assert.equal(manifest.layers[0].size, layerGz.length);

  const config = JSON.parse(blob(entries, built.configDigest).toString());
  assert.equal(config.os, 'linux');
  assert.deepEqual(config.rootfs.diff_ids, [sha256Digest(gunzipSync(layerGz))]);
  assert.equal(built.diffId, config.rootfs.diff_ids[0]);
  assert.deepEqual(config.config, definition.config);
});

test('layer holds the files with modes, parent directories and symlinks', async () => {
  const built = await buildOciImage(definition, join(dir, 'unit2.tar'));
  const layout = await readTar(readFileSync(built.file));
  const layer = await readTar(gunzipSync(blob(layout, built.layerDigest)));
  assert.deepEqual([...layer.keys()].sort(), ['app/', 'app/run.sh', 'bin/', 'bin/run', 'etc/', 'etc/motd', 'tmp/']);
  assert.equal(layer.get('app/run.sh')!.header.mode, 0o755);
  assert.equal(layer.get('app/run.sh')!.data.toString(), '#!/bin/sh\necho hi\n');
  assert.equal(layer.get('etc/motd')!.header.mode, 0o644);
  assert.equal(layer.get('tmp/')!.header.type, 'directory');
  assert.equal(layer.get('tmp/')!.header.mode, 0o1777);
  assert.equal(layer.get('bin/run')!.header.type, 'symlink');
  assert.equal(layer.get('bin/run')!.header.linkname, '/app/run.sh');
  assert.equal(layer.get('app/run.sh')!.header.uid, 0);
});

test('same input gives the same digests; different input different ones', async () => {
  const a = await buildOciImage(definition, join(dir, 'a.tar'));
  const b = await buildOciImage(definition, join(dir, 'b.tar'));
  assert.equal(a.manifestDigest, b.manifestDigest);
  assert.deepEqual(readFileSync(a.file), readFileSync(b.file));
  const c = await buildOciImage({ ...definition, config: { ...definition.config, Cmd: ['--other'] } }, join(dir, 'c.tar'));
  assert.notEqual(c.configDigest, a.configDigest);
  assert.equal(c.layerDigest, a.layerDigest);
});

test('image paths stay inside the root; the root itself is not a file', async () => {
  const built = await buildOciImage({ name: 'x', files: [{ imagePath: '../../escape', content: 'x' }] }, join(dir, 'dots.tar'));
  const layout = await readTar(readFileSync(built.file));
  const layer = await readTar(gunzipSync(blob(layout, built.layerDigest)));
  assert.deepEqual([...layer.keys()], ['escape']);
  await assert.rejects(buildOciImage({ name: 'x', files: [{ imagePath: '/', content: 'x' }] }, join(dir, 'root.tar')), /invalid image path/);
});

const noBusybox = !existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox') ? 'busybox-static not installed' : false;
test('busybox test image: static busybox, applet symlinks, /tmp, passwd', { skip: noBusybox }, async () => {
  const built = await buildBusyboxImage(join(dir, 'busybox.tar'));
  assert.equal(built.name, TEST_BUSYBOX_IMAGE);
  const layout = await readTar(readFileSync(built.file));
  const layer = await readTar(gunzipSync(blob(layout, built.layerDigest)));
  const bb = layer.get('bin/busybox')!;
  assert.ok(bb.data.length > 500_000, 'the real busybox binary');
  assert.equal(bb.header.mode & 0o111, 0o111);
  for (const applet of ['sh', 'httpd', 'tar', 'sleep', 'wget', 'nc']) {
    assert.ok(BUSYBOX_APPLETS.includes(applet));
    assert.equal(layer.get(`bin/${applet}`)!.header.linkname, 'busybox');
  }
  assert.equal(layer.get('tmp/')!.header.mode, 0o1777);
  assert.match(layer.get('etc/passwd')!.data.toString(), /^nobody:x:65534:65534:/m);
  assert.equal(layer.get('www/index.html')!.data.toString(), 'skiff busybox\n');
});

const noCatatonit = !existsSync('/usr/bin/catatonit') ? 'catatonit not installed' : false;
test('pause image: catatonit as /pause in pause mode', { skip: noCatatonit }, async () => {
  const built = await buildPauseImage(join(dir, 'pause.tar'));
  const layout = await readTar(readFileSync(built.file));
  const config = JSON.parse(blob(layout, built.configDigest).toString());
  assert.deepEqual(config.config.Entrypoint, ['/pause', '-P']);
  const index = JSON.parse(layout.get('index.json')!.data.toString());
  assert.equal(index.manifests[0].annotations['io.containerd.image.name'], 'skiff.local/pause:3.9');
});
