// The Summary API on real containerd: a container spinning one CPU shows up with a CPU rate near
// one core (computed from two samples of usage_core_nano_seconds) and a non-zero working set, under
// the podRef of its sandbox; the same summary read by the API server's parser gives kubectl-top numbers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { startContainerd, type ContainerdHandle } from '../containerd/supervisor.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, buildBusyboxImage } from '../images/test-images.js';
import { metricsFromSummary } from '../../apiserver/metrics-api/summary.js';
import { NodeStats } from './stats.js';
import { containerdSkipReason } from '../containerd/test-support.js';

const skipReason = containerdSkipReason();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('summary from real containerd stats', { skip: skipReason, timeout: 120_000 }, async () => {
  const dir = mkdtempSync('/tmp/skiff-h6s-');
  let handle: ContainerdHandle | null = null;
  let sandboxId: string | undefined;
  try {
    handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: '10.244.253.0/24', bridgeName: 'skh6s0' });
    const cri = handle.client;
    await buildBusyboxImage(join(dir, 'busybox.tar'));
    await importImage(handle.socket, join(dir, 'busybox.tar'));
    const pod: PodSandboxConfig = {
      metadata: { name: 'spinner', uid: 'spinner-uid', namespace: 'stats', attempt: 0 },
      hostname: 'spinner',
      log_directory: join(dir, 'pods', 'spinner'),
      labels: { 'io.kubernetes.pod.name': 'spinner', 'io.kubernetes.pod.namespace': 'stats', 'io.kubernetes.pod.uid': 'spinner-uid' },
    };
    sandboxId = await cri.runPodSandbox(pod);
    const spin: ContainerConfig = {
      metadata: { name: 'spin', attempt: 0 },
      image: { image: TEST_BUSYBOX_IMAGE },
      command: ['sh', '-c', 'while :; do :; done'],
      log_path: 'spin/0.log',
      labels: { 'io.kubernetes.container.name': 'spin' },
    };
    await cri.startContainer(await cri.createContainer(sandboxId, spin, pod));

    const stats = new NodeStats(cri, { nodeName: 'h6' });
    await stats.refresh();
    await sleep(2000);
    const summary = await stats.refresh();
    const podSummary = summary.pods.find((p) => p.podRef.uid === 'spinner-uid');
    assert.ok(podSummary, `pod in summary: ${JSON.stringify(summary.pods.map((p) => p.podRef))}`);
    assert.deepEqual(podSummary.podRef, { name: 'spinner', namespace: 'stats', uid: 'spinner-uid' });
    const c = podSummary.containers.find((x) => x.name === 'spin');
    assert.ok(c?.cpu?.usageNanoCores !== undefined, `cpu rate: ${JSON.stringify(c)}`);
    // One busy loop: about one core, whatever else this shared machine is doing (at least 0.2).
    assert.ok(c.cpu.usageNanoCores > 200_000_000 && c.cpu.usageNanoCores < 1_200_000_000, `usageNanoCores ${c.cpu.usageNanoCores}`);
    assert.ok((c.memory?.workingSetBytes ?? 0) > 0, `working set: ${JSON.stringify(c.memory)}`);
    assert.ok((summary.node.cpu?.usageNanoCores ?? 0) >= 200_000_000, 'the node sees the busy loop too');
    assert.ok((summary.node.memory?.workingSetBytes ?? 0) > 0);
    const metrics = metricsFromSummary(summary, 'h6', '10s');
    assert.match(metrics.pods.find((p) => p.metadata.name === 'spinner')!.containers[0]!.usage.cpu, /^\d+(n|u|m)?$/);
  } finally {
    if (handle && sandboxId) {
      await handle.client.stopPodSandbox(sandboxId).catch(() => undefined);
      await handle.client.removePodSandbox(sandboxId).catch(() => undefined);
    }
    await handle?.stop();
    rmSync(dir, { recursive: true, force: true });
    try {
      execFileSync('ip', ['link', 'delete', 'skh6s0'], { stdio: 'ignore' });
    } catch {
      // The bridge was never created (the sandbox failed before networking).
    }
  }
});
