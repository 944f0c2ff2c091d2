import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds, findKind } from '../../api/index.js';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { hasPrinter, parseIncludeObject, tableContentType, tableFor, tableWatchEvent, wantsTable } from './index.js';

const KUBECTL_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const NOW = new Date('2026-11-27T12:00:00Z');
const kind = (group: string, version: string, plural: string): KindDefinition => findKind(group, version, plural)!;

test('wantsTable: the first acceptable media range decides', () => {
  assert.equal(wantsTable(KUBECTL_ACCEPT), 'v1');
  assert.equal(wantsTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json'), 'v1beta1');
  assert.equal(wantsTable('application/json'), undefined);
  assert.equal(wantsTable(undefined), undefined);
  assert.equal(wantsTable('*/*'), undefined);
  assert.equal(wantsTable('application/json, application/json;as=Table;v=v1;g=meta.k8s.io'), undefined);
  assert.equal(wantsTable('application/json;as=Table;v=v2;g=meta.k8s.io,application/json'), undefined);
  assert.equal(wantsTable('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io'), 'v1');
  assert.equal(wantsTable('application/json;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io'), 'v1');
  assert.equal(wantsTable('application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io'), 'v1');
  assert.equal(tableContentType('v1'), 'application/json;as=Table;v=v1;g=meta.k8s.io');
});

test('parseIncludeObject validates the query value', () => {
  assert.equal(parseIncludeObject(null), 'Metadata');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.equal(parseIncludeObject('None'), 'None');
  assert.throws(() => parseIncludeObject('All'), /Unsupported value: "All"/);
});

test('every served kind prints a table whose rows match its columns', () => {
  for (const def of allKinds()) {
    const r = def.resource;
    const objects: KubeObject[] = [
      { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'x', creationTimestamp: '2026-11-27T11:59:00Z' } },
      { metadata: { name: 'y' }, spec: null, status: 'weird' },
    ];
    const table = tableFor(def, objects, { now: NOW });
    assert.equal(table.kind, 'Table', r.plural);
    assert.ok(table.columnDefinitions.length >= 2, r.plural);
    for (const row of table.rows) assert.equal(row.cells.length, table.columnDefinitions.length, `${r.group}/${r.plural}`);
    assert.ok(table.columnDefinitions.some((c) => c.format === 'name'), r.plural);
    for (const c of table.columnDefinitions) assert.ok(c.description.length > 0, `${r.plural} column ${c.name} has a description`);
  }
});

test('kinds with upstream printers and the default NAME / CREATED AT table', () => {
  for (const plural of ['pods', 'services', 'configmaps', 'secrets', 'namespaces', 'nodes', 'events', 'endpoints', 'persistentvolumes', 'persistentvolumeclaims', 'serviceaccounts', 'resourcequotas']) {
    assert.ok(hasPrinter(kind('', 'v1', plural)), plural);
  }
  assert.equal(hasPrinter(kind('', 'v1', 'limitranges')), false);
  const roles = tableFor(kind('rbac.authorization.k8s.io', 'v1', 'roles'), [{ metadata: { name: 'reader', namespace: 'default', creationTimestamp: '2026-11-27T11:00:00Z' } }, { metadata: { name: 'nodate' } }], { now: NOW });
  assert.deepEqual(roles.columnDefinitions.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
  assert.deepEqual(roles.rows.map((r) => r.cells), [['reader', '2026-11-27T11:00:00Z'], ['nodate', '0001-01-01T00:00:00Z']]);
});

test('Table shape: list metadata, pod columns, PartialObjectMetadata rows by default', () => {
  const pods = kind('', 'v1', 'pods');
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2026-11-27T11:58:00Z', resourceVersion: '42' },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Pending' },
  };
  const table = tableFor(pods, [pod], { now: NOW, listMeta: { resourceVersion: '100', continue: 'abc', remainingItemCount: 3 } });
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '100', continue: 'abc', remainingItemCount: 3 });
  assert.deepEqual(table.columnDefinitions.map((c) => `${c.name}:${c.type}:${c.priority}`), [
    'Name:string:0', 'Ready:string:0', 'Status:string:0', 'Restarts:string:0', 'Age:string:0', 'IP:string:1', 'Node:string:1', 'Nominated Node:string:1', 'Readiness Gates:string:1',
  ]);
  assert.match(table.columnDefinitions[0]!.description, /^Name must be unique within a namespace/);
  assert.deepEqual(table.rows[0]!.cells, ['web', '0/1', 'Pending', '0', '2m', '<none>', '<none>', '<none>', '<none>']);
  assert.deepEqual(table.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  const full = tableFor(pods, [pod], { includeObject: 'Object', now: NOW, version: 'v1beta1' });
  assert.equal(full.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(full.rows[0]!.object, pod);
  const none = tableFor(pods, [pod], { includeObject: 'None', now: NOW });
  assert.equal('object' in none.rows[0]!, false);
  assert.deepEqual(tableFor(pods, [], {}).rows, []);
});

test('tableWatchEvent wraps one object in a one-row Table and passes ERROR through', () => {
  const cms = kind('', 'v1', 'configmaps');
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', resourceVersion: '7', creationTimestamp: '2026-11-27T11:59:55Z' }, data: { a: 'b' } };
  const ev = tableWatchEvent(cms, { type: 'ADDED', object: cm }, { now: NOW });
  const t = ev.object as ReturnType<typeof tableFor>;
  assert.equal(ev.type, 'ADDED');
  assert.equal(t.kind, 'Table');
  assert.equal(t.metadata.resourceVersion, '7');
  assert.deepEqual(t.rows.map((r) => r.cells), [['c', 1, '5s']]);
  const err = { type: 'ERROR', object: { kind: 'Status', code: 410 } };
  assert.equal(tableWatchEvent(cms, err), err);
});
