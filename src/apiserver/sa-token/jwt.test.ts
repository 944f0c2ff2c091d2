import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { keyIdOf, signJwt, verifyJwt } from './jwt.js';

test('RS256 JWTs: round trip, wrong key, alg none, tampering', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = createPublicKey(privateKey);
  const other = createPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  const kid = keyIdOf(publicKey);
  assert.match(kid, /^[A-Za-z0-9_-]{43}$/);
  const token = signJwt({ sub: 'x', n: 1 }, privateKey, kid);
  assert.deepEqual(verifyJwt(token, publicKey), { header: { alg: 'RS256', kid }, claims: { sub: 'x', n: 1 } });
  assert.equal(verifyJwt(token, other), undefined);
  const [, payload, sig] = token.split('.');
  const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
  assert.equal(verifyJwt(`${none}.${payload}.${sig}`, publicKey), undefined);
  const forged = Buffer.from(JSON.stringify({ sub: 'admin', n: 1 })).toString('base64url');
  assert.equal(verifyJwt(`${token.split('.')[0]}.${forged}.${sig}`, publicKey), undefined);
  assert.equal(verifyJwt('not-a-jwt', publicKey), undefined);
});
