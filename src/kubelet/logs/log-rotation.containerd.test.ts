// Log rotation with real containerd: a busybox container logs >1 MiB, ContainerLogManager (maxSize
// 256 KiB, maxFiles 3) rotates it through CRI ReopenContainerLog, the container goes on logging into
// the fresh file, and after several rotations at most maxFiles files remain, older ones gzipped.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { startContainerd, type ContainerdHandle } from '../containerd/supervisor.js';
import { containerdSkipReason, teardownContainerd } from '../containerd/test-support.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, buildBusyboxImage } from '../images/test-images.js';
import { parseLogOptions } from '../server/cri-log.js';
import { streamContainerLog } from '../server/log-reader.js';
import { ContainerLogManager } from './container-log-manager.js';

const skipReason = containerdSkipReason();
const BRIDGE = 'skh11';
const POD_CIDR = '10.43.11.0/24';
const MAX_SIZE = 256 * 1024;
const MAX_FILES = 3;
const PAD = 'x'.repeat(90);

/**
 * Writes `lines` lines (~130 bytes each in the CRI file) then `burst-end-<n>`; at start one burst
 * of 9000 lines (>1 MiB), later one more burst whenever /tmp/go appears; `tick-<n>` every 0.2 s.
 */
const SCRIPT = `
burst() { i=0; while [ $i -lt $1 ]; do echo "burst-$2-$i ${PAD}"; i=$((i+1)); done; echo "burst-end-$2"; }
burst 9000 0
n=1; t=0
while true; do
  if [ -f /tmp/go ]; then rm /tmp/go; burst 2200 $n; n=$((n+1)); fi
  echo "tick-$t"; t=$((t+1)); sleep 0.2
done`;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fileText = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

async function kubectlLogs(log: string, query: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await streamContainerLog(log, parseLogOptions(new URLSearchParams(query)), out);
  return Buffer.concat(chunks).toString('utf8');
}

test('containerd: rotateOnce rotates a >1 MiB log, the container keeps logging, at most maxFiles remain', { skip: skipReason, timeout: 180_000 }, async () => {
  const dir = mkdtempSync('/tmp/skiff-h11-');
  let handle: ContainerdHandle | null = null;
  try {
    handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: POD_CIDR, bridgeName: BRIDGE });
    const cri = handle.client;
    await buildBusyboxImage(join(dir, 'busybox.tar'));
    await importImage(handle.socket, join(dir, 'busybox.tar'));

    const uid = 'h11-rotation-uid';
    const sandboxConfig: PodSandboxConfig = {
      metadata: { name: 'chatty', uid, namespace: 'h11', attempt: 0 },
      hostname: 'chatty',
      log_directory: join(dir, 'logs', `h11_chatty_${uid}`),
      labels: { 'io.kubernetes.pod.name': 'chatty', 'io.kubernetes.pod.namespace': 'h11', 'io.kubernetes.pod.uid': uid },
    };
    const sandboxId = await cri.runPodSandbox(sandboxConfig);
    const config: ContainerConfig = {
      metadata: { name: 'app', attempt: 0 },
      image: { image: TEST_BUSYBOX_IMAGE },
      command: ['sh', '-c', SCRIPT],
      log_path: 'app/0.log',
      labels: { 'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.name': 'chatty', 'io.kubernetes.pod.namespace': 'h11', 'io.kubernetes.pod.uid': uid },
    };
    const id = await cri.createContainer(sandboxId, config, sandboxConfig);
    await cri.startContainer(id);
    const log = (await cri.containerStatus(id)).log_path;
    assert.equal(log, join(dir, 'logs', `h11_chatty_${uid}`, 'app', '0.log'));

    await until('the first burst', () => fileText(log).includes('burst-end-0'));
    const firstSize = statSync(log).size;
    assert.ok(firstSize > 1024 * 1024, `the container wrote ${firstSize} bytes`);

    const logged: string[] = [];
    const manager = new ContainerLogManager({ cri, maxSize: MAX_SIZE, maxFiles: MAX_FILES, log: (m) => logged.push(m) });
    await manager.rotateOnce();
    const logDir = dirname(log);
    const rotated = readdirSync(logDir).filter((f) => f !== '0.log');
    assert.equal(rotated.length, 1, `one rotated file: ${rotated.join(', ')}`);
    assert.match(rotated[0]!, /^0\.log\.\d{8}-\d{6}$/);
    assert.ok(readFileSync(join(logDir, rotated[0]!), 'utf8').includes('burst-end-0'), 'the rotated file holds what was logged');
    assert.ok(statSync(log).size < 64 * 1024, `the current file is small: ${statSync(log).size} bytes`);

    // containerd writes into the reopened file: new ticks appear there.
    await until('ticks in the new file', () => /tick-\d+/.test(fileText(log)));
    const shown = await kubectlLogs(log, '');
    assert.match(shown, /^tick-\d+$/m, 'kubectl logs serves the new current file');
    assert.doesNotMatch(shown, /burst-0-/, 'rotated content is not in the current file');

    await manager.rotateOnce();
    assert.equal(readdirSync(logDir).length, 2, 'a small current file is not rotated');

    for (let n = 1; n <= 4; n++) {
      const second = Math.floor(Date.now() / 1000);
      await cri.execSync(id, ['touch', '/tmp/go'], 10);
      await until(`burst ${n}`, () => fileText(log).includes(`burst-end-${n}`));
      // One rotation per second at most (the timestamp has seconds); wait for the next second.
      await until('the next second', () => Math.floor(Date.now() / 1000) > second, 2000);
      await manager.rotateOnce();
      assert.ok(statSync(log).size < 64 * 1024, `after rotation ${n} the current file is small`);
      assert.doesNotMatch(fileText(log), new RegExp(`burst-end-${n}`), `burst ${n} went to the rotated file`);
    }
    await until('ticks after the last rotation', () => /tick-\d+/.test(fileText(log)));

    const files = readdirSync(logDir).sort();
    assert.ok(files.length <= MAX_FILES, `at most ${MAX_FILES} files: ${files.join(', ')}`);
    assert.equal(files.length, MAX_FILES);
    const plain = files.filter((f) => /^0\.log\.\d{8}-\d{6}$/.test(f));
    const gz = files.filter((f) => /^0\.log\.\d{8}-\d{6}\.gz$/.test(f));
    assert.deepEqual([files.includes('0.log'), plain.length, gz.length], [true, 1, 1], files.join(', '));
    assert.ok(plain[0]! > gz[0]!.replace(/\.gz$/, ''), 'the newest rotated file stays plain, older ones are gzipped');
    assert.ok(readFileSync(join(logDir, plain[0]!), 'utf8').includes('burst-end-4'));
    const unzipped = gunzipSync(readFileSync(join(logDir, gz[0]!))).toString('utf8');
    assert.ok(unzipped.includes('burst-end-3'), 'the gzipped file holds the previous burst');
    assert.match(unzipped.split('\n')[0]!, /^\S+Z stdout [FP] /, 'CRI records, unchanged');
    assert.deepEqual(logged.filter((m) => m.startsWith('failed')), []);
    assert.equal((await cri.containerStatus(id)).state, 'CONTAINER_RUNNING');

    await manager.clean(id);
    assert.deepEqual(readdirSync(logDir), [], 'clean removes every file of the log');
    await cri.stopContainer(id, 0);
    await cri.removeContainer(id);
  } finally {
    await teardownContainerd(handle, dir, BRIDGE);
  }
});
