// A node whose kubelet stops: its lease expires, the node lifecycle controller taints it and evicts its
// pods when their tolerations run out, and the ReplicaSet's pods come back on the healthy node.
// Real API server, scheduler, controllers and simulated nodes; timings shortened through options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/api/types.js';
import { startTestServer } from '../../src/apiserver/test-server.js';
import { startNodeLifecycleController } from '../../src/controllers/nodelifecycle/index.js';
import { startReplicaSetController } from '../../src/controllers/replicaset/index.js';
import { startSimNodes } from '../../src/kubelet/sim/index.js';
import { startScheduler } from '../../src/scheduler/index.js';

type Pod = KubeObject & { spec: { nodeName?: string }; status?: { phase?: string } };

const until = async (what: string, cond: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

test('pods of a node that stops renewing its lease are evicted and recreated elsewhere', async () => {
  const t = await startTestServer();
  const stops: Array<{ stop(): void }> = [];
  try {
    const nodeA = await startSimNodes({ client: t.client, count: 1, namePrefix: 'node-a-', config: { leaseRenewMs: 500 } });
    stops.push(await startReplicaSetController(t.client));
    stops.push(await startScheduler({ client: t.client }));
    stops.push(await startNodeLifecycleController(t.client, { nodeMonitorGracePeriodMs: 3000, nodeMonitorPeriodMs: 500, evictionRate: 10 }));
    const pods = async () => (await t.client.get<{ items: Pod[] }>('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items;
    const rs = await t.client.post('/apis/apps/v1/namespaces/default/replicasets', {
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'c', image: 'nginx' }],
            tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }],
          },
        },
      },
    });
    assert.equal(rs.status, 201, rs.text);
    await until('two Running pods on node-a-0', async () => (await pods()).filter((p) => p.status?.phase === 'Running' && p.spec.nodeName === 'node-a-0').length === 2);

    // A second, healthy node; then node-a's kubelet stops (its Leases are no longer renewed).
    const nodeB = await startSimNodes({ client: t.client, count: 1, namePrefix: 'node-b-', config: { leaseRenewMs: 500 } });
    stops.push(nodeB);
    nodeA.stop();

    await until('node-a-0 tainted unreachable', async () => {
      const node = (await t.client.get<{ spec: { taints?: Array<{ key: string; effect: string }> } }>('/api/v1/nodes/node-a-0')).body;
      return (node.spec.taints ?? []).some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute');
    });
    const ready = (await t.client.get<{ status: { conditions: Array<{ type: string; status: string }> } }>('/api/v1/nodes/node-a-0')).body.status.conditions.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    await until('the pods recreated and Running on node-b-0', async () => {
      const live = (await pods()).filter((p) => !p.metadata?.deletionTimestamp);
      return live.length === 2 && live.every((p) => p.spec.nodeName === 'node-b-0' && p.status?.phase === 'Running');
    });
    // The evicted pods were deleted from node-a-0 (they stay Terminating: no kubelet confirms).
    const old = (await pods()).filter((p) => p.spec.nodeName === 'node-a-0');
    assert.ok(old.every((p) => p.metadata?.deletionTimestamp), 'every pod left on node-a-0 is being deleted');
  } finally {
    for (const s of stops.reverse()) s.stop();
    await t.stop();
  }
});
