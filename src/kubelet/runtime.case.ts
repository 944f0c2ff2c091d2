/**
 * The shared behaviour every NodeRuntime must show, as one suite each implementation runs against
 * itself (sim now, containerd later): `runNodeRuntimeCases('sim', (writer) => new SimRuntime(...))`.
 * A recording PodStatusWriter stands in for the API server; the suite feeds the runtime the pod as
 * the API would (status patches applied), and checks what it reports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { applyMergePatch } from '../machinery/patch.js';
import type { NodeRuntime, PodStatusWriter } from './runtime.js';

interface PodView extends KubeObject {
  spec: { nodeName: string; containers: Array<{ name: string; image: string }>; restartPolicy?: string };
  status?: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }>; containerStatuses?: Array<{ name: string; ready: boolean; state: Record<string, unknown> }> };
}

/** A fake API for one pod: applies the runtime's status patches and feeds the result back. */
function recordingApi(getRuntime: () => NodeRuntime) {
  const pods = new Map<string, PodView>();
  const deleted: string[] = [];
  let rv = 1;
  const writer: PodStatusWriter = {
    async patchStatus(pod, status) {
      const key = pod.metadata!.name!;
      const cur = pods.get(key);
      if (!cur) return null;
      const next = applyMergePatch(cur, { status }) as PodView;
      next.metadata = { ...next.metadata, resourceVersion: String(++rv) };
      pods.set(key, next);
      queueMicrotask(() => getRuntime().syncPod(next));
      return next;
    },
    async deletePod(pod) {
      deleted.push(pod.metadata!.name!);
      pods.delete(pod.metadata!.name!);
      getRuntime().forgetPod(pod);
    },
  };
  return { writer, pods, deleted };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ipInCIDR = (ip: string, cidr: string) => {
  const toInt = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const [net, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(net!) / size);
};

export function runNodeRuntimeCases(label: string, makeRuntime: (writer: PodStatusWriter) => NodeRuntime): void {
  test(`${label}: registerNode reports capacity, allocatable, nodeInfo, an InternalIP and a podCIDR`, () => {
    const runtime = makeRuntime(recordingApi(() => runtime).writer);
    try {
      const reg = runtime.registerNode('case-node-0', 0);
      for (const r of ['cpu', 'memory', 'pods']) assert.ok(reg.capacity[r], `capacity.${r}`);
      assert.ok(Object.keys(reg.allocatable).length > 0);
      assert.ok(reg.nodeInfo.kubeletVersion && reg.nodeInfo.containerRuntimeVersion && reg.nodeInfo.operatingSystem);
      assert.ok(reg.addresses.some((a) => a.type === 'InternalIP'));
      assert.match(reg.podCIDR ?? '', /^\d+\.\d+\.\d+\.\d+\/\d+$/);
    } finally {
      runtime.close();
    }
  });

  test(`${label}: a synced pod is reported Running and Ready with an IP from the podCIDR; killPod ends in deletePod`, async () => {
    let runtime!: NodeRuntime;
    const api = recordingApi(() => runtime);
    runtime = makeRuntime(api.writer);
    try {
      const reg = runtime.registerNode('case-node-1', 1);
      const pod: PodView = { metadata: { name: 'p', namespace: 'default', uid: 'case-uid-1', resourceVersion: '1' }, spec: { nodeName: 'case-node-1', containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } };
      api.pods.set('p', pod);
      runtime.syncPod(pod);
      const running = await until('Running', () => { const p = api.pods.get('p'); return p?.status?.phase === 'Running' ? p : undefined; });
      assert.equal(running.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      assert.ok(running.status?.containerStatuses?.every((c) => c.ready && 'running' in c.state));
      assert.ok(ipInCIDR(running.status!.podIP!, reg.podCIDR!), running.status!.podIP);
      const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 1 } };
      api.pods.set('p', deleting);
      runtime.killPod(deleting, 1);
      await until('deletePod', () => (api.deleted.includes('p') ? true : undefined));
    } finally {
      runtime.close();
    }
  });
}
