/**
 * Image import into Skiff's containerd: loads an OCI image layout tar or a docker-archive tar
 * (`docker save`) into the CRI namespace (k8s.io) with containerd's own `ctr images import`, then
 * the CRI plugin sees the image (ImageStatus/ListImages) and can run it.
 *
 * Inputs: the containerd socket and a tar file. Outputs: the image names imported; `listImages`
 * returns what CRI reports.
 */
import { execFile } from 'node:child_process';
import { CriClient } from '../cri/client.js';
import type { Image } from '../cri/types.js';
import { CRI_NAMESPACE } from '../containerd/config.js';
import { findBinary } from '../containerd/prerequisites.js';

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${(stderr || err.message).trim()}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Names ctr reports as it unpacks: "unpacking <name> (sha256:...)...done". */
export function parseImportedNames(ctrOutput: string): string[] {
  const names: string[] = [];
  for (const line of ctrOutput.split('\n')) {
    const m = /^unpacking (\S+) \(sha256:[0-9a-f]+\)/.exec(line.trim());
    if (m?.[1] && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}

/**
 * Imports every image in `file` (all platforms, unpacked for overlayfs) into the containerd at
 * `socket`; resolves to the image names imported.
 */
export async function importImage(socket: string, file: string): Promise<string[]> {
  const ctr = findBinary('ctr');
  if (!ctr) throw new Error('ctr (part of the containerd package) not found; apt-get install -y containerd');
  const { stdout, stderr } = await run(
    ctr,
    ['--address', socket, '--namespace', CRI_NAMESPACE, 'images', 'import', '--all-platforms', file],
    5 * 60 * 1000,
  );
  const names = parseImportedNames(`${stdout}\n${stderr}`);
  if (names.length === 0) throw new Error(`ctr imported no image from ${file}: ${(stdout + stderr).trim() || 'no output'}`);
  return names;
}

/** The images CRI reports on the containerd at `socket`. */
export async function listImages(socket: string): Promise<Image[]> {
  const client = await CriClient.connect(socket, { timeoutMs: 3000 });
  try {
    return await client.listImages();
  } finally {
    client.close();
  }
}
