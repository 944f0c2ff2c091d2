import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { localStorageViolation, podEphemeralStorageLimit, type PodStorageUsage } from './rules.js';
import { quantityToString } from '../../machinery/quantity.js';

const MiB = 1024 * 1024;

function pod(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec };
}

function usage(parts: Partial<PodStorageUsage>): PodStorageUsage {
  return { emptyDirBytes: new Map(), totalBytes: 0, containers: [], ...parts };
}

const limited = (name: string, limit?: string) => ({ name, ...(limit ? { resources: { limits: { 'ephemeral-storage': limit } } } : {}) });

test('emptyDir over its sizeLimit: upstream message with both values quoted', () => {
  const p = pod({ containers: [limited('app')], volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }] });
  const v = localStorageViolation(p, usage({ emptyDirBytes: new Map([['scratch', 4 * MiB]]), totalBytes: 4 * MiB }));
  assert.equal(v?.signal, 'emptydirfs.limit');
  assert.equal(v?.message, 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ');
  assert.equal(v?.volumeName, 'scratch');
  assert.equal(v?.usedBytes, 4 * MiB);
});

test('emptyDir exactly at its limit, without a limit, or with a zero limit is not evicted', () => {
  const p = pod({
    containers: [limited('app')],
    volumes: [
      { name: 'exact', emptyDir: { sizeLimit: '1Mi' } },
      { name: 'unlimited', emptyDir: {} },
      { name: 'zero', emptyDir: { sizeLimit: '0' } },
    ],
  });
  const used = new Map([['exact', MiB], ['unlimited', 100 * MiB], ['zero', 100 * MiB]]);
  assert.equal(localStorageViolation(p, usage({ emptyDirBytes: used, totalBytes: 201 * MiB })), undefined);
  used.set('exact', MiB + 1);
  assert.equal(localStorageViolation(p, usage({ emptyDirBytes: used }))?.volumeName, 'exact');
});

test('a volume that was not measured (memory medium, not yet set up) never fires', () => {
  const p = pod({ containers: [limited('app')], volumes: [{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }] });
  assert.equal(localStorageViolation(p, usage({ totalBytes: 0 })), undefined);
});

test('sizeLimit printed as Quantity.String(): canonical forms', () => {
  // The API server stores canonical forms; a raw form still prints as upstream's String() would.
  const cases: Array<[string, string]> = [['1048576', '1048576'], ['1Mi', '1Mi'], ['1.5Gi', '1536Mi'], ['1000k', '1M'], ['2000000', '2M'], ['0.5Gi', '512Mi']];
  for (const [given, shown] of cases) {
    const p = pod({ containers: [], volumes: [{ name: 'd', emptyDir: { sizeLimit: given } }] });
    const v = localStorageViolation(p, usage({ emptyDirBytes: new Map([['d', 4 * 1024 * MiB]]) }));
    assert.equal(v?.limit, shown, given);
    assert.equal(v?.message, `Usage of EmptyDir volume "d" exceeds the limit "${shown}". `);
  }
});

test('pod total over the sum of container limits: unquoted sum in the message', () => {
  const p = pod({ containers: [limited('a', '1Mi'), limited('b', '2Mi')] });
  const v = localStorageViolation(p, usage({ totalBytes: 3 * MiB + 1, containers: [{ name: 'a', rootfsBytes: 0, logsBytes: 0 }] }));
  assert.equal(v?.signal, 'ephemeralpodfs.limit');
  assert.equal(v?.message, 'Pod ephemeral local storage usage exceeds the total limit of containers 3Mi. ');
  assert.equal(localStorageViolation(p, usage({ totalBytes: 3 * MiB })), undefined);
});

test('pod limit applies as soon as one container sets one (PodLimits found), with decimal sums', () => {
  const p = pod({ containers: [limited('a', '500M'), limited('b')] });
  assert.equal(quantityToString(podEphemeralStorageLimit(p)!), '500M');
  const v = localStorageViolation(p, usage({ totalBytes: 500_000_001 }));
  assert.equal(v?.message, 'Pod ephemeral local storage usage exceeds the total limit of containers 500M. ');
  const two = pod({ containers: [limited('a', '1500M'), limited('b', '500M')] });
  assert.equal(quantityToString(podEphemeralStorageLimit(two)!), '2G');
  assert.equal(podEphemeralStorageLimit(pod({ containers: [limited('a'), limited('b')] })), undefined);
});

test('pod limit: init container peak, sidecars added, overhead added', () => {
  const p = pod({
    initContainers: [limited('init', '10Mi'), { ...limited('side', '1Mi'), restartPolicy: 'Always' }],
    containers: [limited('app', '2Mi')],
    overhead: { 'ephemeral-storage': '1Mi' },
  });
  // max(app 2Mi + sidecar 1Mi, init 10Mi) + overhead 1Mi
  assert.equal(quantityToString(podEphemeralStorageLimit(p)!), '11Mi');
  const small = pod({ initContainers: [limited('init', '1Mi')], containers: [limited('app', '2Mi')] });
  assert.equal(quantityToString(podEphemeralStorageLimit(small)!), '2Mi');
});

test('container over its own limit: logs + writable layer, quoted limit', () => {
  const p = pod({ containers: [limited('a', '10Mi'), limited('b', '1Mi')] });
  const v = localStorageViolation(
    p,
    usage({
      totalBytes: 2 * MiB, // under the pod's 11Mi
      containers: [
        { name: 'a', rootfsBytes: MiB, logsBytes: 0 },
        { name: 'b', rootfsBytes: MiB / 2, logsBytes: MiB / 2 + 1 },
      ],
    }),
  );
  assert.equal(v?.signal, 'ephemeralcontainerfs.limit');
  assert.equal(v?.containerName, 'b');
  assert.equal(v?.message, 'Container b exceeded its local ephemeral storage limit "1Mi". ');
  assert.equal(v?.usedBytes, MiB + 1);
  const atLimit = usage({ totalBytes: MiB, containers: [{ name: 'b', rootfsBytes: MiB / 2, logsBytes: MiB / 2 }] });
  assert.equal(localStorageViolation(p, atLimit), undefined);
});

test('a zero container limit is no container threshold (the pod rule still sees it)', () => {
  const p = pod({ containers: [limited('a', '0'), limited('b', '5Mi')] });
  const u = usage({ totalBytes: MiB, containers: [{ name: 'a', rootfsBytes: MiB, logsBytes: 0 }] });
  assert.equal(localStorageViolation(p, u), undefined);
});

test('order: emptyDir first, then the pod total, then a container', () => {
  const p = pod({ containers: [limited('a', '1Mi')], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] });
  const all = usage({ emptyDirBytes: new Map([['d', 2 * MiB]]), totalBytes: 5 * MiB, containers: [{ name: 'a', rootfsBytes: 3 * MiB, logsBytes: 0 }] });
  assert.equal(localStorageViolation(p, all)?.signal, 'emptydirfs.limit');
  all.emptyDirBytes.set('d', MiB);
  assert.equal(localStorageViolation(p, all)?.signal, 'ephemeralpodfs.limit');
  // Two containers: the pod limit (2Mi) holds while container b breaks its own 512Ki.
  const p2 = pod({ containers: [limited('a', '1536Ki'), limited('b', '512Ki')] });
  const u2 = usage({ totalBytes: 2 * MiB, containers: [{ name: 'b', rootfsBytes: MiB, logsBytes: 0 }] });
  const v = localStorageViolation(p2, u2);
  assert.equal(v?.signal, 'ephemeralcontainerfs.limit');
  assert.equal(v?.message, 'Container b exceeded its local ephemeral storage limit "512Ki". ');
});
