/**
 * `skiff images`: images in the containerd that `skiff up --data-dir DIR` runs.
 *   skiff images import FILE.tar [--data-dir DIR]   load an OCI layout or docker-archive tar
 *   skiff images ls [--data-dir DIR]                 table of IMAGE, DIGEST (short), SIZE
 * The socket is DIR/containerd/containerd.sock; if nothing answers there, say how to start it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CriClient } from '../kubelet/cri/client.js';
import type { Image } from '../kubelet/cri/types.js';
import { containerdPaths } from '../kubelet/containerd/config.js';
import { importImage } from '../kubelet/images/import.js';

export interface ImagesIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const usage = `Usage:
  skiff images import FILE.tar [--data-dir DIR]   Import an OCI layout or docker-archive tar
  skiff images ls [--data-dir DIR]                List images

Flags:
  --data-dir DIR   the data dir of 'skiff up' (default ~/.skiff)`;

/** "1.9MB"-style sizes as crictl prints them (decimal units). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v}B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0).replace(/\.?0+$/, '')}${units[i]}`;
}

/** One row per name (tag, or digest for untagged images), sorted; digest shortened to 12 hex. */
export function formatImageTable(images: Image[]): string {
  const rows: string[][] = [];
  for (const img of images) {
    const digest = img.id.replace(/^sha256:/, '').slice(0, 12);
    const names = img.repo_tags.length > 0 ? img.repo_tags : img.repo_digests.length > 0 ? img.repo_digests : ['<none>'];
    for (const name of names) rows.push([name, digest, humanSize(img.size)]);
  }
  rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  const table = [['IMAGE', 'DIGEST', 'SIZE'], ...rows];
  const widths = [0, 1].map((c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  return table.map((r) => `${(r[0] ?? '').padEnd((widths[0] ?? 0) + 3)}${(r[1] ?? '').padEnd((widths[1] ?? 0) + 3)}${r[2] ?? ''}`).join('\n');
}

async function connectOrExplain(dataDir: string, io: ImagesIo): Promise<CriClient | null> {
  const { socket } = containerdPaths(join(dataDir, 'containerd'));
  const notRunning = `containerd is not running for data dir ${dataDir} (no answer on ${socket}).\n` +
    `Start the cluster first: skiff up --data-dir ${dataDir}\n`;
  if (!existsSync(socket)) {
    io.stderr.write(`Error: ${notRunning}`);
    return null;
  }
  try {
    return await CriClient.connect(socket, { timeoutMs: 3000 });
  } catch {
    io.stderr.write(`Error: ${notRunning}`);
    return null;
  }
}

export async function runImages(argv: string[], io: ImagesIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n\n${usage}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [verb, ...args] = positionals;
  if (values.help || verb === undefined || verb === 'help') {
    (values.help ? io.stdout : io.stderr).write(`${usage}\n`);
    return values.help ? 0 : 1;
  }
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.skiff'));
  switch (verb) {
    case 'import': {
      const file = args[0];
      if (!file || args.length > 1) {
        io.stderr.write(`Error: images import takes exactly one FILE.tar\n\n${usage}\n`);
        return 1;
      }
      if (!existsSync(file)) {
        io.stderr.write(`Error: ${file}: no such file\n`);
        return 1;
      }
      const client = await connectOrExplain(dataDir, io);
      if (!client) return 1;
      try {
        const names = await importImage(containerdPaths(join(dataDir, 'containerd')).socket, resolve(file));
        for (const name of names) {
          const img = await client.imageStatus(name);
          io.stdout.write(`imported ${name}${img ? ` (${img.id.replace(/^sha256:/, '').slice(0, 12)})` : ''}\n`);
        }
        return 0;
      } catch (err) {
        io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      } finally {
        client.close();
      }
    }
    case 'ls':
    case 'list': {
      const client = await connectOrExplain(dataDir, io);
      if (!client) return 1;
      try {
        io.stdout.write(`${formatImageTable(await client.listImages())}\n`);
        return 0;
      } finally {
        client.close();
      }
    }
    default:
      io.stderr.write(`Error: unknown images command "${verb}"\n\n${usage}\n`);
      return 1;
  }
}
