// Server-side printing end to end: the real API server and the real kubectl v1.32 printing its Tables.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../test-server.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let t: TestServer;
let cacheDir: string;

async function kubectl(...args: string[]): Promise<string[]> {
  const { stdout } = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 30_000 });
  return stdout.trimEnd().split('\n');
}

/** A printed line as its whitespace-separated words (cells with inner spaces are matched by regex instead). */
const words = (line: string | undefined): string[] => (line ?? '').trim().split(/\s+/);

async function must(res: Promise<{ status: number; text: string }>): Promise<void> {
  const r = await res;
  assert.ok(r.status < 300, `${r.status} ${r.text}`);
}

const ago = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('kubectl get prints the server Tables', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` }, () => {
  before(async () => {
    t = await startTestServer();
    cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));
    const c = t.client;
    const pod = (name: string, app: string, containers: string[]) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } },
      spec: { containers: containers.map((n) => ({ name: n, image: `${n}:1` })) },
    });
    await must(c.post('/api/v1/namespaces/default/pods', pod('web-1', 'web', ['app', 'sidecar'])));
    await must(c.post('/api/v1/namespaces/default/pods', pod('db-0', 'db', ['postgres'])));
    await must(c.post('/api/v1/namespaces/default/pods', pod('alpha', 'zzz', ['a'])));
    const current = (await c.get<Record<string, any>>('/api/v1/namespaces/default/pods/web-1')).body;
    await must(c.put('/api/v1/namespaces/default/pods/web-1/status', {
      ...current,
      status: {
        phase: 'Running', podIP: '10.42.0.7', podIPs: [{ ip: '10.42.0.7' }],
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'app', image: 'app:1', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(600) } } },
          { name: 'sidecar', image: 'sidecar:1', imageID: '', ready: false, restartCount: 3, state: { running: { startedAt: ago(120) } }, lastState: { terminated: { exitCode: 1, startedAt: ago(300), finishedAt: ago(121) } } },
        ],
      },
    }));
    await must(c.post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] } },
      },
    }));
    await must(c.post('/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] },
    }));
    await must(c.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { a: '1', b: '2' } }));
    await must(c.post('/api/v1/namespaces/kube-public/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info' }, data: { kubeconfig: 'x' } }));
  });
  after(async () => {
    await t?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('get pods: READY, STATUS, RESTARTS with "(2m ago)"', async () => {
    const lines = await kubectl('get', 'pods');
    assert.deepEqual(words(lines[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const web = lines.find((l) => l.startsWith('web-1 '));
    assert.match(web ?? '', /^web-1\s+1\/2\s+Running\s+3 \(2m\d*s? ago\)\s+\d+s$/);
    assert.deepEqual(words(lines.find((l) => l.startsWith('db-0 '))).slice(0, 4), ['db-0', '0/1', 'Pending', '0']);
  });

  it('get pods -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES', async () => {
    const lines = await kubectl('get', 'pods', '-o', 'wide');
    assert.deepEqual(words(lines[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED', 'NODE', 'READINESS', 'GATES']);
    assert.match(lines.find((l) => l.startsWith('web-1 ')) ?? '', /\s10\.42\.0\.7\s+<none>\s+<none>\s+<none>$/);
  });

  it('get deploy -o wide', async () => {
    const lines = await kubectl('get', 'deploy', '-o', 'wide');
    assert.deepEqual(words(lines[0]), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const row = words(lines[1]);
    assert.deepEqual([...row.slice(0, 4), ...row.slice(5)], ['web', '0/3', '0', '0', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web']);
  });

  it('get svc: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S)', async () => {
    const lines = await kubectl('get', 'svc');
    assert.deepEqual(words(lines[0]), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const web = words(lines.find((l) => l.startsWith('web ')));
    assert.equal(web[1], 'NodePort');
    assert.match(web[2]!, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(web.slice(3, 5), ['<none>', '80:30080/TCP']);
    const k = words(lines.find((l) => l.startsWith('kubernetes ')));
    assert.deepEqual([k[1], k[3], k[4]], ['ClusterIP', '<none>', '443/TCP']);
  });

  it('get ns: STATUS', async () => {
    const lines = await kubectl('get', 'ns');
    assert.deepEqual(words(lines[0]), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(words(lines.find((l) => l.startsWith('default '))).slice(0, 2), ['default', 'Active']);
  });

  it('get cm -A: NAMESPACE from the row metadata, DATA', async () => {
    const lines = await kubectl('get', 'cm', '-A');
    assert.deepEqual(words(lines[0]), ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    assert.deepEqual(words(lines.find((l) => /^default\s+app-config\s/.test(l))).slice(0, 3), ['default', 'app-config', '2']);
    assert.deepEqual(words(lines.find((l) => /^kube-public\s+cluster-info\s/.test(l))).slice(0, 3), ['kube-public', 'cluster-info', '1']);
  });

  it('get pods --show-labels and -L app read row.object.metadata', async () => {
    const shown = await kubectl('get', 'pods', '--show-labels');
    assert.deepEqual(words(shown[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    assert.equal(words(shown.find((l) => l.startsWith('db-0 '))).pop(), 'app=db');
    const col = await kubectl('get', 'pods', '-L', 'app');
    assert.deepEqual(words(col[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP']);
    assert.equal(words(col.find((l) => l.startsWith('alpha '))).pop(), 'zzz');
  });

  it('get pods --sort-by uses the full objects (includeObject=Object)', async () => {
    const lines = await kubectl('get', 'pods', '--sort-by', '.metadata.labels.app');
    assert.deepEqual(lines.slice(1).map((l) => words(l)[0]), ['db-0', 'web-1', 'alpha']);
  });

  it('get secrets, jobs, and the default NAME / CREATED AT table for roles', async () => {
    const c = t.client;
    await must(c.post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', stringData: { user: 'u', pass: 'p' } }));
    await must(c.post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader' }, rules: [] }));
    await must(c.post('/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
      spec: { completions: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    }));
    const secrets = await kubectl('get', 'secrets');
    assert.deepEqual(words(secrets[0]), ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(words(secrets.find((l) => l.startsWith('creds '))).slice(0, 3), ['creds', 'Opaque', '2']);
    const roles = await kubectl('get', 'roles');
    assert.deepEqual(words(roles[0]), ['NAME', 'CREATED', 'AT']);
    assert.match(roles[1] ?? '', /^reader\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const jobs = await kubectl('get', 'jobs');
    assert.deepEqual(words(jobs[0]), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    assert.deepEqual(words(jobs[1]).slice(0, 3), ['pi', 'Running', '0/2']);
  });

  it('get one pod by name, and the Table content type on the wire', async () => {
    const lines = await kubectl('get', 'pod', 'db-0');
    assert.equal(lines.length, 2);
    assert.deepEqual(words(lines[1]).slice(0, 3), ['db-0', '0/1', 'Pending']);
    const res = await t.client.request<Record<string, any>>('GET', '/api/v1/configmaps?limit=1', undefined, { Accept: TABLE_ACCEPT });
    assert.equal(res.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
    assert.equal(res.body.kind, 'Table');
    assert.equal(res.body.rows.length, 1);
    assert.equal(res.body.rows[0].object.kind, 'PartialObjectMetadata');
    assert.ok(res.body.metadata.continue, 'the continue token is carried into the Table');
    const bad = await t.client.request('GET', '/api/v1/namespaces/default/configmaps?includeObject=All', undefined, { Accept: TABLE_ACCEPT });
    assert.equal(bad.status, 400);
    const plain = await t.client.get<Record<string, any>>('/api/v1/namespaces/default/configmaps');
    assert.equal(plain.body.kind, 'ConfigMapList');
  });
});
