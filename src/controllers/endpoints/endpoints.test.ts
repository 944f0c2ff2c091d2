import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startEndpointsController } from './index.js';
import type { EndpointSubset } from './subsets.js';
import { computeSubsets, truncateSubsets } from './subsets.js';
import { createPod, setPodStatus, waitFor } from './testing.js';

const run = promisify(execFile);
let ts: TestServer;
let ctl: { stop(): void };
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

async function subsets(name: string): Promise<EndpointSubset[] | undefined> {
  const res = await ts.client.get<{ subsets?: EndpointSubset[] }>(`/api/v1/namespaces/default/endpoints/${name}`);
  return res.status === 200 ? (res.body.subsets ?? []) : undefined;
}

const ips = (s: EndpointSubset[] | undefined, field: 'addresses' | 'notReadyAddresses'): string[] => (s ?? []).flatMap((x) => (x[field] ?? []).map((a) => a.ip)).sort();

async function createService(name: string, spec: Record<string, unknown>): Promise<void> {
  const res = await ts.client.post('/api/v1/namespaces/default/services', { metadata: { name, labels: { team: 'a' } }, spec });
  assert.equal(res.status, 201, res.text);
}

describe('computeSubsets', () => {
  it('groups pods by their resolved named port and splits ready from not ready', () => {
    const svc = { metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'x' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } };
    const pod = (name: string, ip: string, port: number, ready: boolean, extra: Record<string, unknown> = {}) => ({
      metadata: { name, namespace: 'n', uid: name, labels: { app: 'x' }, ...extra },
      spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] },
      status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    const out = computeSubsets(svc, [pod('a', '10.0.0.2', 8080, true), pod('b', '10.0.0.1', 8080, false), pod('c', '10.0.0.3', 9090, true), pod('d', '10.0.0.4', 8080, true, { deletionTimestamp: '2026-01-01T00:00:00Z' })]);
    assert.equal(out.length, 2);
    const p8080 = out.find((s) => s.ports?.[0]?.port === 8080)!;
    assert.deepEqual(p8080.addresses?.map((a) => a.ip), ['10.0.0.2']);
    assert.deepEqual(p8080.notReadyAddresses?.map((a) => a.ip), ['10.0.0.1']);
    assert.deepEqual(p8080.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(out.find((s) => s.ports?.[0]?.port === 9090)!.addresses?.map((a) => a.ip), ['10.0.0.3']);
  });
});

describe('truncateSubsets', () => {
  it('keeps ready addresses first and at most the limit', () => {
    const addrs = (n: number, base: string) => Array.from({ length: n }, (_, i) => ({ ip: `${base}.${i}` }));
    const out = truncateSubsets([{ addresses: addrs(6, '10.0.0'), notReadyAddresses: addrs(4, '10.0.1'), ports: [{ port: 80, protocol: 'TCP' }] }, { addresses: addrs(2, '10.0.2'), ports: [{ port: 81, protocol: 'TCP' }] }], 7);
    assert.equal(out.truncated, true);
    const count = out.subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
    assert.equal(count, 7);
    assert.equal(out.subsets.every((s) => !s.notReadyAddresses), true, 'not-ready addresses go first');
    assert.equal(truncateSubsets([{ addresses: addrs(3, '10.0.0') }], 7).truncated, false);
  });
});

describe('endpoints controller', () => {
  before(async () => {
    ts = await startTestServer();
    ctl = await startEndpointsController(ts.client, { onError: (k, e) => console.error('endpoints', k, e) });
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });

  it('follows pod readiness; kubectl get endpoints shows the ready addresses', async () => {
    await createService('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    await waitFor('empty endpoints', async () => (await subsets('web')) !== undefined);
    await createPod(ts.client, 'default', { name: 'web-1', labels: { app: 'web' }, port: { name: 'http', containerPort: 8080 } });
    await createPod(ts.client, 'default', { name: 'web-2', labels: { app: 'web' }, port: { name: 'http', containerPort: 8080 } });
    await setPodStatus(ts.client, 'default', 'web-1', '10.1.0.1', true);
    await setPodStatus(ts.client, 'default', 'web-2', '10.1.0.2', false);
    await waitFor('one ready, one not', async () => {
      const s = await subsets('web');
      return ips(s, 'addresses').join() === '10.1.0.1' && ips(s, 'notReadyAddresses').join() === '10.1.0.2';
    });
    const s = (await subsets('web'))!;
    assert.deepEqual(s[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(s[0]!.addresses![0]!.targetRef?.name, 'web-1');
    assert.equal(s[0]!.addresses![0]!.nodeName, 'node-1');
    const ep = await ts.client.get<{ metadata: { labels?: Record<string, string> } }>('/api/v1/namespaces/default/endpoints/web');
    assert.equal(ep.body.metadata.labels?.team, 'a');

    await setPodStatus(ts.client, 'default', 'web-2', '10.1.0.2', true);
    await waitFor('both ready', async () => ips(await subsets('web'), 'addresses').join() === '10.1.0.1,10.1.0.2');
    const shown = await kubectl('get', 'endpoints', 'web', '--no-headers');
    assert.match(shown, /10\.1\.0\.1:8080/);
    assert.match(shown, /10\.1\.0\.2:8080/);

    // A terminating pod leaves the endpoints.
    await ts.client.delete('/api/v1/namespaces/default/pods/web-1');
    await waitFor('terminating pod removed', async () => ips(await subsets('web'), 'addresses').join() === '10.1.0.2');
  });

  it('publishNotReadyAddresses, headless hostnames, selector-less services and deleted services', async () => {
    await createService('db', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' } });
    await createPod(ts.client, 'default', { name: 'db-0', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
    await setPodStatus(ts.client, 'default', 'db-0', '10.2.0.1', false);
    await waitFor('not-ready pod published', async () => ips(await subsets('db'), 'addresses').join() === '10.2.0.1');
    const s = (await subsets('db'))!;
    assert.equal(s[0]!.addresses![0]!.hostname, 'db-0');
    assert.equal(s[0]!.ports, undefined);
    const ep = await ts.client.get<{ metadata: { labels?: Record<string, string> } }>('/api/v1/namespaces/default/endpoints/db');
    assert.equal(ep.body.metadata.labels?.['service.kubernetes.io/headless'], '');

    await createService('external', { ports: [{ port: 443 }] });
    const manual = await ts.client.post('/api/v1/namespaces/default/endpoints', { metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 443 }] }] });
    assert.equal(manual.status, 201, manual.text);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(ips(await subsets('external'), 'addresses'), ['192.0.2.1']);

    await kubectl('delete', 'service', 'db');
    await waitFor('endpoints of a deleted service removed', async () => (await subsets('db')) === undefined);
  });
});
