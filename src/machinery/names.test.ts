import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, path } from './errors.js';
import * as n from './names.js';

test('DNS-1123 label and subdomain', () => {
  assert.deepEqual(n.isDNS1123Label('my-name'), []);
  assert.deepEqual(n.isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(n.isDNS1123Label('Abc'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(n.isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  assert.deepEqual(n.isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(n.isDNS1123Subdomain('a..b'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.equal(n.isDNS1123Subdomain('a'.repeat(254)).length, 1);
  assert.equal(n.isDNS1123Subdomain('').length, 1);
  assert.equal(n.isDNS1123Subdomain('a\nb').length, 1, 'no multiline loophole');
  assert.deepEqual(n.isDNS1035Label('1abc').length, 1);
  assert.deepEqual(n.isDNS1035Label('abc-1'), []);
});

test('qualified names', () => {
  assert.deepEqual(n.isQualifiedName('example.com/MyName'), []);
  assert.deepEqual(n.isQualifiedName('my_name.x'), []);
  assert.deepEqual(n.isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.deepEqual(n.isQualifiedName('x/'), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.match(n.isQualifiedName('Example.com/x')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
  assert.match(n.isQualifiedName('a/b/c')[0]!, /^a qualified name must consist .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(n.isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.equal(n.isQualifiedName('é').length, 1);
});

test('label values, ports, identifiers, IPs, config keys, percents, path segments', () => {
  assert.deepEqual(n.isValidLabelValue(''), []);
  assert.equal(n.isValidLabelValue('-a').length, 1);
  assert.deepEqual(n.isValidPortName('http'), []);
  assert.deepEqual(n.isValidPortName('-a--'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  assert.deepEqual(n.isValidPortName('123'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(n.isValidPortName('a'.repeat(16)), ['must be no more than 15 characters']);
  assert.deepEqual(n.isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
  assert.deepEqual(n.isValidPortNum(65535), []);
  assert.deepEqual(n.isCIdentifier('_A1'), []);
  assert.equal(n.isCIdentifier('1a').length, 1);
  assert.deepEqual(n.isValidIP('10.9.8.7'), []);
  assert.deepEqual(n.isValidIP('2001:db8::ffff'), []);
  assert.deepEqual(n.isValidIP('10.0.0.0/8'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  assert.equal(n.isValidIP('fe80::1%eth0').length, 1);
  assert.deepEqual(n.isValidIP('010.001.1.1'), [], 'leading zeros are accepted, as ParseIPSloppy does');
  assert.equal(n.isValidIP('256.1.1.1').length, 1);
  assert.deepEqual(n.isValidIP('::ffff:1.2.3.4'), []);
  assert.deepEqual(n.isConfigMapKey('key.name'), []);
  assert.deepEqual(n.isConfigMapKey('..'), ["must not be '..'"]);
  assert.deepEqual(n.isConfigMapKey('..a'), ["must not start with '..'"]);
  assert.equal(n.isConfigMapKey('a/b').length, 1);
  assert.deepEqual(n.isPercent('25%'), []);
  assert.equal(n.isPercent('25').length, 1);
  assert.deepEqual(n.isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(n.isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
});

test('generated names use upstream alphabet and length', () => {
  for (let i = 0; i < 200; i++) assert.match(n.generateNameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(n.generateName('x'.repeat(80)).length, 63);
  assert.match(n.generateName('web-'), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

const md = path('metadata');
const msgs = (errs: ReturnType<typeof n.validateObjectMetaBasics>): string[] => errs.map(fieldErrorMessage);

test('validateObjectMetaBasics', () => {
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ name: 'web', namespace: 'default' }, { namespaced: true }, md)), []);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({}, { namespaced: true }, md)), [
    'metadata.name: Required value: name or generateName is required',
    'metadata.namespace: Required value',
  ]);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ generateName: 'web-' }, { namespaced: false }, md)), []);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ name: 'n', namespace: 'x' }, { namespaced: false }, md)), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.match(msgs(n.validateObjectMetaBasics({ name: 'a.b' }, { namespaced: false, nameRule: 'label' }, md))[0]!, /^metadata.name: Invalid value: "a.b": must not contain dots$/);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ name: 'A_b' }, { namespaced: false, nameRule: 'path-segment' }, md)), []);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ name: 'a/b' }, { namespaced: false, nameRule: 'path-segment' }, md)), ['metadata.name: Invalid value: "a/b": may not contain \'/\'']);
  assert.match(msgs(n.validateObjectMetaBasics({ name: 'x', namespace: 'Bad' }, { namespaced: true }, md))[0]!, /^metadata.namespace: Invalid value: "Bad": a lowercase RFC 1123 label/);
  assert.deepEqual(msgs(n.validateObjectMetaBasics({ name: 'x', generation: -1 }, { namespaced: false }, md)), ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']);
});

test('labels, annotations, finalizers, owner references', () => {
  const errs = msgs(n.validateObjectMetaBasics({
    name: 'x',
    labels: { 'a b': 'ok', good: '-bad', n: 3 },
    annotations: { 'Example.com/Key': 'fine', 'x/y/z': 'v' },
    finalizers: ['kubernetes.io/pv-protection', 'kubernetes.io/pv-protection', 'orphan', 'foregroundDeletion'],
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
      { apiVersion: 'apps/', kind: '', name: 'b', uid: '', controller: true },
      { apiVersion: 'v1', kind: 'Event', name: 'e', uid: '3' },
    ],
  }, { namespaced: false }, md));
  const has = (re: RegExp): void => assert.ok(errs.some((m) => re.test(m)), `${re} not in\n${errs.join('\n')}`);
  has(/^metadata\.labels: Invalid value: "a b": name part must consist/);
  has(/^metadata\.labels: Invalid value: "-bad": a valid label must be/);
  has(/^metadata\.labels\[n\]: Invalid value: 3: must be a string/);
  has(/^metadata\.annotations: Invalid value: "x\/y\/z": a qualified name/);
  assert.ok(!errs.some((m) => m.includes('Example.com')), 'annotation keys are checked lower-cased');
  assert.ok(!errs.some((m) => m.includes('Duplicate')), 'duplicate finalizers are accepted, as upstream does');
  has(/^metadata\.finalizers: Invalid value: .*finalizer orphan and foregroundDeletion cannot be both set$/);
  has(/^metadata\.ownerReferences\.apiVersion: Invalid value: "apps\/": version must not be empty$/);
  has(/^metadata\.ownerReferences\.kind: Invalid value: "": must not be empty$/);
  has(/^metadata\.ownerReferences\.uid: Invalid value: "": must not be empty$/);
  has(/Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and \/b$/);
  has(/\/v1, Kind=Event is disallowed from being an owner$/);
  const big = { a: 'x'.repeat(256 * 1024) };
  assert.deepEqual(msgs(n.validateAnnotations(big, md.child('annotations'))), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(msgs(n.validateLabels('nope', md.child('labels'))), ['metadata.labels: Invalid value: "nope": must be a map of string to string']);
});

test('finalizer names: strict for built-in kinds, warnings for custom resources', () => {
  const meta = { name: 'x', finalizers: ['kubernetes', 'orphan', 'example.com/cleanup', 'my-finalizer'] };
  assert.deepEqual(msgs(n.validateObjectMetaBasics(meta, { namespaced: false }, md)), [
    'metadata.finalizers[3]: Invalid value: "my-finalizer": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  assert.deepEqual(msgs(n.validateObjectMetaBasics(meta, { namespaced: false, customResource: true }, md)), []);
  assert.deepEqual(n.finalizerWarnings(meta.finalizers), [
    'metadata.finalizers: "my-finalizer": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
  ]);
  assert.deepEqual(n.finalizerWarnings(meta.finalizers, ['my-finalizer']), [], 'only new names warn on update');
});

test('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '5', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a.io/x'] };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate({ ...old }, old, md)), []);
  const changed: Record<string, unknown> = { ...old, name: 'b', uid: 'u2', resourceVersion: '', generation: 2, creationTimestamp: '2030-01-01T00:00:00Z' };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate(changed, old, md)), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    'metadata.generation: Invalid value: 2: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.equal(changed.creationTimestamp, old.creationTimestamp, 'creationTimestamp changes are silently reverted');
  const noUid: Record<string, unknown> = { ...old, uid: undefined };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate(noUid, old, md)), []);
  assert.equal(noUid.uid, 'u1', 'an empty uid takes the old one');
  const deleting = { ...old, deletionTimestamp: '2026-01-02T00:00:00Z', deletionGracePeriodSeconds: 30 };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting, md)), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
  ]);
  assert.deepEqual(msgs(n.validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting, md)), [], 'removing finalizers is fine');
  const cleared: Record<string, unknown> = { ...old, resourceVersion: '6' };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate(cleared, deleting, md)), [], 'dropping deletion fields is not an error');
  assert.equal(cleared.deletionTimestamp, deleting.deletionTimestamp, 'deletionTimestamp is kept');
  assert.equal(cleared.deletionGracePeriodSeconds, 30, 'grace period is kept');
  const moved: Record<string, unknown> = { ...deleting, deletionTimestamp: '2027-01-01T00:00:00Z' };
  assert.deepEqual(msgs(n.validateObjectMetaUpdate(moved, deleting, md)), []);
  assert.equal(moved.deletionTimestamp, deleting.deletionTimestamp, 'a changed deletionTimestamp is reverted');
  assert.deepEqual(msgs(n.validateObjectMetaUpdate({ ...old, deletionTimestamp: '2026-01-02T00:00:00Z', deletionGracePeriodSeconds: 10 }, old, md)), [
    'metadata.deletionGracePeriodSeconds: Invalid value: 10: field is immutable; may only be changed via deletion',
    'metadata.deletionTimestamp: Invalid value: "2026-01-02T00:00:00Z": field is immutable; may only be changed via deletion',
  ]);
  assert.deepEqual(msgs(n.validateObjectMetaUpdate({ ...deleting, deletionGracePeriodSeconds: 40 }, deleting, md)), [
    'metadata.deletionGracePeriodSeconds: Invalid value: 40: field is immutable; may only be changed via deletion',
  ]);
});

test('fuzz: validators never throw on random strings', () => {
  const alphabet = 'aZ0-_./%é\0\n ';
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let j = Math.floor(Math.random() * 12); j > 0; j--) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    for (const f of [n.isDNS1123Label, n.isDNS1123Subdomain, n.isDNS1035Label, n.isQualifiedName, n.isValidLabelValue, n.isValidPortName, n.isCIdentifier, n.isValidIP, n.isConfigMapKey, n.isPercent, n.isValidPathSegmentName]) {
      assert.ok(Array.isArray(f(s)));
    }
    n.validateObjectMetaBasics({ name: s, labels: { [s]: s }, finalizers: [s] }, { namespaced: true }, md);
  }
});
