/**
 * Test helpers shared by the endpoints and endpointslice tests: create pods and play their kubelet by
 * PATCHing pods/<name>/status (phase, IP, Ready condition).
 */
import assert from 'node:assert/strict';
import type { RestClient } from '../../client/rest.js';

export async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

export interface TestPod {
  name: string;
  labels: Record<string, string>;
  port?: { name: string; containerPort: number };
  hostname?: string;
  subdomain?: string;
  nodeName?: string;
}

export async function createPod(client: RestClient, ns: string, p: TestPod): Promise<void> {
  const res = await client.post(`/api/v1/namespaces/${ns}/pods`, {
    metadata: { name: p.name, labels: p.labels },
    spec: {
      nodeName: p.nodeName ?? 'node-1',
      ...(p.hostname ? { hostname: p.hostname } : {}),
      ...(p.subdomain ? { subdomain: p.subdomain } : {}),
      containers: [{ name: 'c', image: 'nginx', ...(p.port ? { ports: [{ ...p.port, protocol: 'TCP' }] } : {}) }],
    },
  });
  assert.equal(res.status, 201, res.text);
}

/** The kubelet's status report: Running with an IP, Ready as given. */
export async function setPodStatus(client: RestClient, ns: string, name: string, ip: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const res = await client.patch(`/api/v1/namespaces/${ns}/pods/${name}/status`, {
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
      ],
    },
  });
  assert.equal(res.status, 200, res.text);
}
