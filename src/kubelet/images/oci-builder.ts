/**
 * OCI image builder: turns a list of host files, inline files, directories and symlinks plus an
 * image config (Entrypoint, Cmd, Env, ...) into an OCI image layout tar (oci-layout, index.json,
 * blobs/sha256/{layer, config, manifest}) that `ctr images import` and `skiff images import` load.
 *
 * One gzip layer; every timestamp is fixed and entries are sorted, so the same input always gives
 * the same digests. Output: the tar file plus the digests it holds.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Pack } from 'tar-stream';

export const OCI_MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** A regular file in the image: copied from hostPath, or given as content. */
export interface ImageFile {
  imagePath: string;
  hostPath?: string;
  content?: string | Buffer;
  /** Permission bits; default: the host file's, or 0o644 for content. */
  mode?: number;
}
export interface ImageSymlink { imagePath: string; target: string }
export interface ImageDirectory { imagePath: string; mode?: number }

/** The runtime part of an OCI image config (the `config` object of the config blob). */
export interface ImageRunConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  /** e.g. { "8080/tcp": {} } */
  ExposedPorts?: Record<string, Record<string, never>>;
  Labels?: Record<string, string>;
}

export interface OciImageDefinition {
  /** Full reference, e.g. skiff.local/busybox:1 (stored as io.containerd.image.name). */
  name: string;
  files?: ImageFile[];
  symlinks?: ImageSymlink[];
  directories?: ImageDirectory[];
  config?: ImageRunConfig;
}

export interface BuiltOciImage {
  name: string;
  file: string;
  manifestDigest: string;
  configDigest: string;
  layerDigest: string;
  /** sha256 of the uncompressed layer tar (rootfs.diff_ids[0]). */
  diffId: string;
  /** Bytes of the layout tar. */
  size: number;
}

/** Fixed mtime for reproducible digests (2000-01-01). */
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Docker/OCI architecture name of this host. */
export function ociArchitecture(arch: string = process.arch): string {
  const table: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return table[arch] ?? arch;
}

type TarEntry =
  | { kind: 'file'; path: string; mode: number; data: Buffer }
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'symlink'; path: string; target: string };

/** Strip leading slashes; "/bin/sh" -> "bin/sh". Rejects paths escaping the root. */
function relativeImagePath(p: string): string {
  const norm = posix.normalize(`/${p}`).replace(/^\/+/, '').replace(/\/+$/, '');
  if (norm === '' || norm.startsWith('..')) throw new Error(`invalid image path ${JSON.stringify(p)}`);
  return norm;
}

function collectEntries(def: OciImageDefinition): TarEntry[] {
  const entries = new Map<string, TarEntry>();
  const addParents = (path: string): void => {
    for (let dir = posix.dirname(path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) {
      if (!entries.has(dir)) entries.set(dir, { kind: 'dir', path: dir, mode: 0o755 });
    }
  };
  for (const d of def.directories ?? []) {
    const path = relativeImagePath(d.imagePath);
    addParents(path);
    entries.set(path, { kind: 'dir', path, mode: d.mode ?? 0o755 });
  }
  for (const f of def.files ?? []) {
    const path = relativeImagePath(f.imagePath);
    let data: Buffer;
    let mode = f.mode;
    if (f.hostPath !== undefined) {
      data = readFileSync(f.hostPath);
      mode ??= statSync(f.hostPath).mode & 0o7777;
    } else if (f.content !== undefined) {
      data = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content);
    } else {
      throw new Error(`image file ${f.imagePath}: neither hostPath nor content given`);
    }
    addParents(path);
    entries.set(path, { kind: 'file', path, mode: mode ?? 0o644, data });
  }
  for (const s of def.symlinks ?? []) {
    const path = relativeImagePath(s.imagePath);
    addParents(path);
    entries.set(path, { kind: 'symlink', path, target: s.target });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function packToBuffer(fill: (p: Pack) => void): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => {
      if (Buffer.isBuffer(c)) chunks.push(c);
      else if (c instanceof Uint8Array) chunks.push(Buffer.from(c));
    });
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  fill(p);
  p.finalize();
  return done;
}

const owner = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: FIXED_MTIME };

/** The uncompressed layer tar for the definition's files, directories and symlinks. */
export function buildLayerTar(def: OciImageDefinition): Promise<Buffer> {
  const entries = collectEntries(def);
  return packToBuffer((p) => {
    for (const e of entries) {
      if (e.kind === 'dir') p.entry({ ...owner, name: `${e.path}/`, type: 'directory', mode: e.mode });
      else if (e.kind === 'symlink') p.entry({ ...owner, name: e.path, type: 'symlink', linkname: e.target, mode: 0o777 });
      else p.entry({ ...owner, name: e.path, type: 'file', mode: e.mode, size: e.data.length }, e.data);
    }
  });
}

/** Builds the image and writes the OCI layout tar to `outFile`. */
export async function buildOciImage(def: OciImageDefinition, outFile: string): Promise<BuiltOciImage> {
  const layerTar = await buildLayerTar(def);
  const diffId = sha256Digest(layerTar);
  const layerGz = gzipSync(layerTar, { level: 6 });
  const layerDigest = sha256Digest(layerGz);

  const configJson = JSON.stringify({
    created: FIXED_MTIME.toISOString(),
    architecture: ociArchitecture(),
    os: 'linux',
    config: def.config ?? {},
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: FIXED_MTIME.toISOString(), created_by: 'skiff oci-builder' }],
  });
  const configDigest = sha256Digest(configJson);

  const manifestJson = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.manifest,
    config: { mediaType: OCI_MEDIA_TYPES.config, digest: configDigest, size: Buffer.byteLength(configJson) },
    layers: [{ mediaType: OCI_MEDIA_TYPES.layerGzip, digest: layerDigest, size: layerGz.length }],
  });
  const manifestDigest = sha256Digest(manifestJson);

  const tag = def.name.includes(':') && !def.name.slice(def.name.lastIndexOf(':')).includes('/')
    ? def.name.slice(def.name.lastIndexOf(':') + 1)
    : 'latest';
  const indexJson = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.index,
    manifests: [
      {
        mediaType: OCI_MEDIA_TYPES.manifest,
        digest: manifestDigest,
        size: Buffer.byteLength(manifestJson),
        platform: { architecture: ociArchitecture(), os: 'linux' },
        annotations: { 'io.containerd.image.name': def.name, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  });

  const blob = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  const layout = await packToBuffer((p) => {
    const file = (name: string, data: string | Buffer): void => {
      p.entry({ ...owner, name, type: 'file', mode: 0o644 }, data);
    };
    p.entry({ ...owner, name: 'blobs/', type: 'directory', mode: 0o755 });
    p.entry({ ...owner, name: 'blobs/sha256/', type: 'directory', mode: 0o755 });
    file(blob(layerDigest), layerGz);
    file(blob(configDigest), configJson);
    file(blob(manifestDigest), manifestJson);
    file('index.json', indexJson);
    file('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  });
  writeFileSync(outFile, layout);
  return { name: def.name, file: outFile, manifestDigest, configDigest, layerDigest, diffId, size: layout.length };
}
