/**
 * Integration: the real kubectl 1.32 generators send protobuf bodies; each object they create is
 * read back through the API as JSON and checked field by field.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { bytesField, encodeK8sProtobuf, envelope, varintField } from './test-encoder.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const skip = existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`;
if (skip) console.log(`# skipping kubectl protobuf tests: ${skip}`);

let ts: TestServer;
let cacheDir: string;

before(async () => {
  if (skip) return;
  ts = await startTestServer();
  cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));
});
after(async () => {
  if (skip) return;
  await ts.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  try {
    const out = await run(KUBECTL, ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { encoding: 'utf8' });
    return out.stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only JSON navigation

async function get(path: string): Promise<Obj> {
  const res = await ts.client.request<Obj>('GET', path);
  assert.equal(res.status, 200, `GET ${path}: ${res.text}`);
  return res.body;
}

test('kubectl really sends protobuf, and a broken protobuf body is a 400 (not 415)', { skip }, async () => {
  const verbose = await run(KUBECTL, ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, '-v=8', 'create', 'configmap', 'probe', '--from-literal=k=v'], { encoding: 'utf8' });
  assert.match(verbose.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
  const body = envelope('v1', 'ConfigMap', bytesField(1, varintField(99, 1)));
  const res = await ts.client.request('POST', '/api/v1/namespaces/default/configmaps', body, { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
  assert.equal(res.status, 400, res.text);
  assert.match(res.text, /unknown protobuf field 99 in V1ObjectMeta/);
});

test('configmap and secret', { skip }, async () => {
  await kubectl('create', 'configmap', 'x', '--from-literal=a=b', '--from-literal=c=d');
  assert.deepEqual((await get('/api/v1/namespaces/default/configmaps/x')).data, { a: 'b', c: 'd' });
  await kubectl('create', 'secret', 'generic', 's', '--from-literal=pw=hunter2');
  const s = await get('/api/v1/namespaces/default/secrets/s');
  assert.equal(s.type, 'Opaque');
  assert.equal(Buffer.from(s.data.pw, 'base64').toString(), 'hunter2');
});

test('deployment (and replicas=0 stays 0), service, job, cronjob', { skip }, async () => {
  await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80');
  const d = await get('/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx');
  assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  await kubectl('create', 'deployment', 'idle', '--image=nginx', '--replicas=0');
  assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/idle')).spec.replicas, 0);

  await kubectl('create', 'service', 'clusterip', 'svc', '--tcp=80:8080');
  const svc = await get('/api/v1/namespaces/default/services/svc');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.selector, { app: 'svc' });
  assert.equal(svc.spec.ports[0].port, 80);
  assert.equal(svc.spec.ports[0].targetPort, 8080);

  await kubectl('create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi');
  const job = await get('/apis/batch/v1/namespaces/default/jobs/j');
  assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');

  await kubectl('create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *');
  const cj = await get('/apis/batch/v1/namespaces/default/cronjobs/cj');
  assert.equal(cj.spec.schedule, '*/5 * * * *');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.containers[0].image, 'busybox');
});

test('namespace, pdb, quota, serviceaccount, priorityclass, ingress', { skip }, async () => {
  await kubectl('create', 'namespace', 'team-a');
  assert.equal((await get('/api/v1/namespaces/team-a')).metadata.name, 'team-a');

  await kubectl('create', 'pdb', 'pdb', '--min-available=1', '--selector=app=x');
  const pdb = await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb');
  assert.equal(pdb.spec.minAvailable, 1);
  assert.deepEqual(pdb.spec.selector, { matchLabels: { app: 'x' } });

  await kubectl('create', 'quota', 'q', '--hard=cpu=1,pods=2');
  assert.deepEqual((await get('/api/v1/namespaces/default/resourcequotas/q')).spec.hard, { cpu: '1', pods: '2' });
  // The quota is enforced: remove it so the pods of the later tests are not refused.
  await kubectl('delete', 'quota', 'q');

  await kubectl('create', 'serviceaccount', 'robot', '-n', 'team-a');
  assert.equal((await get('/api/v1/namespaces/team-a/serviceaccounts/robot')).metadata.namespace, 'team-a');

  await kubectl('create', 'priorityclass', 'high', '--value=1000', '--description=important');
  const pc = await get('/apis/scheduling.k8s.io/v1/priorityclasses/high');
  assert.equal(pc.value, 1000);
  assert.equal(pc.description, 'important');

  await kubectl('create', 'ingress', 'ing', '--rule=a.example.com/api*=svc:80');
  const ing = await get('/apis/networking.k8s.io/v1/namespaces/default/ingresses/ing');
  const rule = ing.spec.rules[0];
  assert.equal(rule.host, 'a.example.com');
  assert.equal(rule.http.paths[0].path, '/api');
  assert.equal(rule.http.paths[0].pathType, 'Prefix');
  assert.deepEqual(rule.http.paths[0].backend, { service: { name: 'svc', port: { number: 80 } } });
});

test('role, rolebinding, clusterrole, clusterrolebinding', { skip }, async () => {
  await kubectl('create', 'role', 'reader', '--verb=get', '--verb=list', '--resource=pods');
  const role = await get('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/reader');
  assert.deepEqual(role.rules, [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);

  await kubectl('create', 'rolebinding', 'rb', '--role=reader', '--user=alice');
  const rb = await get('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb');
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
  assert.deepEqual(rb.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);

  await kubectl('create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes');
  const cr = await get('/apis/rbac.authorization.k8s.io/v1/clusterroles/node-reader');
  assert.deepEqual(cr.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]);

  await kubectl('create', 'clusterrolebinding', 'crb', '--clusterrole=node-reader', '--serviceaccount=team-a:robot');
  const crb = await get('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/crb');
  assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'robot', namespace: 'team-a' }]);
});

test('drain (DeleteOptions bodies) and a protobuf Eviction', { skip }, async () => {
  await ts.client.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  for (const name of ['p1', 'p2']) {
    const res = await ts.client.request('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(res.status, 201, res.text);
  }
  const eviction = encodeK8sProtobuf({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p2', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } }, 'V1Eviction');
  const evicted = await ts.client.request('POST', '/api/v1/namespaces/default/pods/p2/eviction', eviction, { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
  assert.equal(evicted.status, 201, evicted.text);
  await kubectl('drain', 'n1', '--force', '--grace-period=0', '--timeout=30s');
  const pods = await get('/api/v1/namespaces/default/pods');
  assert.deepEqual(pods.items.filter((p: Obj) => p.spec.nodeName === 'n1'), []);
  assert.equal((await get('/api/v1/nodes/n1')).spec.unschedulable, true);
});
