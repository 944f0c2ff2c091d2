import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, fieldErrorMessage } from './errors.js';
import {
  checkContinueWithResourceVersion,
  checkListOptions,
  compareResourceVersion,
  continueTooOld,
  decodeContinue,
  encodeContinue,
  formatResourceVersion,
  parseResourceVersion,
  tooLargeResourceVersion,
  validateListOptions,
  watchTooOld,
} from './resource-version.js';

const fails = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected an error');
};

test('parse, format and compare resourceVersions', () => {
  assert.equal(parseResourceVersion(''), 0);
  assert.equal(parseResourceVersion(undefined), 0);
  assert.equal(parseResourceVersion('0'), 0);
  assert.equal(parseResourceVersion('0042'), 42);
  assert.equal(formatResourceVersion(42), '42');
  assert.equal(compareResourceVersion('9', '10'), -1);
  assert.equal(compareResourceVersion('10', '10'), 0);
  assert.equal(compareResourceVersion('11', '10'), 1);
  const e = fails(() => parseResourceVersion('abc'));
  assert.equal(e.code, 400);
  assert.equal(e.message, 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
  assert.equal(fails(() => parseResourceVersion('-1')).message, 'resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax');
  assert.equal(fails(() => parseResourceVersion('18446744073709551616')).message, 'resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range');
  assert.equal(parseResourceVersion('18446744073709551615') > 0, true);
});

test('continue tokens are upstream-compatible and round-trip', () => {
  const token = encodeContinue('/registry/pods/default/web-1', '/registry/pods/', 1234);
  assert.equal(Buffer.from(token, 'base64url').toString(), '{"v":"meta.k8s.io/v1","rv":1234,"start":"default/web-1"}');
  assert.ok(token.startsWith('eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6'), 'the familiar kubectl token prefix');
  assert.ok(!/[=+/]/.test(token), 'raw URL alphabet, no padding');
  assert.deepEqual(decodeContinue(token, '/registry/pods/'), { fromKey: '/registry/pods/default/web-1', resourceVersion: 1234 });
  const amp = encodeContinue('/p/a&b', '/p/', 1);
  assert.equal(Buffer.from(amp, 'base64url').toString(), '{"v":"meta.k8s.io/v1","rv":1,"start":"a\\u0026b"}');
  assert.equal(decodeContinue(amp, '/p/').fromKey, '/p/a&b');
});

test('tampered continue tokens are 400 with upstream messages', () => {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const msg = (t: string): string => {
    const e = fails(() => decodeContinue(t, '/registry/pods/'));
    assert.equal(e.code, 400);
    return e.message;
  };
  assert.equal(msg('!!!'), 'invalid continue token: continue key is not valid: illegal base64 data at input byte 0');
  assert.equal(msg('abcde'), 'invalid continue token: continue key is not valid: illegal base64 data at input byte 4');
  assert.equal(msg(enc({ v: 'v2', rv: 1, start: 'a' })), 'invalid continue token: continue key is not valid: server does not recognize this encoded version "v2"');
  assert.equal(msg(enc({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' })), 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  assert.equal(msg(enc({ v: 'meta.k8s.io/v1', rv: 5, start: '' })), 'invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  assert.equal(msg(enc({ v: 'meta.k8s.io/v1', rv: 5, start: '../secrets/x' })), 'invalid continue token: continue key is not valid: ../secrets/x');
  assert.equal(msg(enc({ v: 'meta.k8s.io/v1', rv: 5, start: 'a//b' })), 'invalid continue token: continue key is not valid: a//b');
  assert.match(msg(enc({ v: 'meta.k8s.io/v1', rv: '5', start: 'a' })), /continueToken\.rv of type int64/);
  assert.match(msg(enc([1])), /cannot unmarshal array/);
  assert.match(msg(Buffer.from('{nope').toString('base64url')), /continue key is not valid: invalid character/);
  assert.equal(decodeContinue(enc({ v: 'meta.k8s.io/v1', rv: 5, start: '/ns/a' }), '/registry/pods/').fromKey, '/registry/pods/ns/a');
});

test('errors for versions out of range', () => {
  assert.equal(fails(() => checkContinueWithResourceVersion('tok', '5')).message, 'specifying resource version is not allowed when using continue');
  checkContinueWithResourceVersion('tok', '0');
  checkContinueWithResourceVersion(undefined, '5');
  const old = watchTooOld(3, 10);
  assert.equal(old.code, 410);
  assert.equal(old.reason, 'Expired');
  assert.equal(old.message, 'too old resource version: 3 (10)');
  assert.equal(continueTooOld().code, 410);
  const large = tooLargeResourceVersion(100, 50);
  assert.equal(large.code, 504);
  assert.equal(large.status.details?.retryAfterSeconds, 1);
  assert.equal(large.message, 'Timeout: Too large resource version: 100, current: 50');
});

test('fuzz: random tokens and versions only ever raise StatusError', () => {
  const alphabet = 'eyJ2IjoibWV0YS5rOHMu_-=+/!0a';
  let seed = 5;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let j = rnd(40); j > 0; j--) s += alphabet[rnd(alphabet.length)];
    for (const f of [() => decodeContinue(s, '/p/'), () => parseResourceVersion(s)]) {
      try {
        f();
      } catch (e) {
        if (!(e instanceof StatusError)) assert.fail(`non-Status error for ${JSON.stringify(s)}: ${String(e)}`);
      }
    }
  }
});

test('list options validation as upstream ValidateListOptions', () => {
  const texts = (o: Parameters<typeof validateListOptions>[0], wl = false): string[] => validateListOptions(o, wl).map(fieldErrorMessage);
  assert.deepEqual(texts({}), []);
  assert.deepEqual(texts({ resourceVersion: '5', resourceVersionMatch: 'NotOlderThan' }), []);
  assert.deepEqual(texts({ resourceVersionMatch: 'Exact' }), ['resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided']);
  assert.deepEqual(texts({ resourceVersion: '1', resourceVersionMatch: 'bogus' }), ['resourceVersionMatch: Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", ""']);
  assert.deepEqual(texts({ resourceVersion: '0', resourceVersionMatch: 'Exact' }), ['resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"']);
  assert.deepEqual(texts({ sendInitialEvents: true }), ['sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list']);
  assert.deepEqual(texts({ watch: true }), []);
  assert.deepEqual(texts({ watch: true, resourceVersionMatch: 'NotOlderThan' }), ['resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided']);
  assert.deepEqual(texts({ watch: true, sendInitialEvents: true }), [
    'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
  ]);
  assert.deepEqual(texts({ watch: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }, true), []);
  try {
    checkListOptions({ resourceVersionMatch: 'Exact' });
    assert.fail('expected error');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    assert.equal(e.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
});
