import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CriClient } from '../cri/client.js';
import { CriError } from '../cri/client.js';
import { ImagePuller, pullCredentials, registryHost } from './image-puller.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pod = (secrets: string[] = []) => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { imagePullSecrets: secrets.map((name) => ({ name })) } });

test('registry host of an image reference', () => {
  assert.equal(registryHost('busybox'), 'docker.io');
  assert.equal(registryHost('library/busybox:1'), 'docker.io');
  assert.equal(registryHost('127.0.0.1:5000/a/b:1'), '127.0.0.1:5000');
  assert.equal(registryHost('localhost/a'), 'localhost');
  assert.equal(registryHost('ghcr.io/x/y@sha256:00'), 'ghcr.io');
});

test('credentials come from the first pull secret whose registry matches', async () => {
  const secrets = new Map<string, unknown>([
    ['other', { data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'quay.io': { auth: b64('q:w') } } })) } }],
    ['mine', { data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'https://127.0.0.1:5000/v2/': { auth: b64('user:pa:ss') } } })) } }],
  ]);
  const reader = { get: async (_r: 'secrets', _ns: string, name: string) => (secrets.get(name) ?? null) as never };
  assert.deepEqual(await pullCredentials(pod(['missing', 'other', 'mine']), '127.0.0.1:5000/app:1', reader), { username: 'user', password: 'pa:ss', server_address: 'https://127.0.0.1:5000' });
  assert.equal(await pullCredentials(pod(['other']), '127.0.0.1:5000/app:1', reader), undefined);
});

test('pull policy, ErrImagePull, then ImagePullBackOff until the back-off runs out', async () => {
  let present = false;
  let pulls = 0;
  const cri = {
    imageStatus: async () => (present ? { id: 'sha256:abc', uid: { value: 0 }, username: '' } : null),
    pullImage: async () => {
      pulls++;
      throw new CriError('PullImage', 5, 'failed to pull and unpack image "x": not found');
    },
  } as unknown as CriClient;
  const puller = new ImagePuller(cri, { get: async () => null }, { initialBackoffMs: 60_000 });
  assert.deepEqual(await puller.ensure(pod(), { image: 'reg.local/app:1', imagePullPolicy: 'Never' }), { ok: false, reason: 'ErrImageNeverPull', message: 'Container image "reg.local/app:1" is not present with pull policy of Never' });
  const first = await puller.ensure(pod(), { image: 'reg.local/app:1' });
  assert.equal(first.ok, false);
  assert.equal(!first.ok && first.reason, 'ErrImagePull');
  assert.equal(!first.ok && first.message, 'rpc error: code = NotFound desc = failed to pull and unpack image "x": not found');
  const second = await puller.ensure(pod(), { image: 'reg.local/app:1' });
  assert.equal(!second.ok && second.reason, 'ImagePullBackOff');
  assert.equal(pulls, 1, 'no pull during the back-off');
  present = true;
  assert.deepEqual(await puller.ensure(pod(), { image: 'reg.local/app:1' }), { ok: true, imageRef: 'sha256:abc', pulled: false, user: { uid: 0, username: undefined } });
});
