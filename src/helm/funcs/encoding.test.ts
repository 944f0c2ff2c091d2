import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { tpl } from './test-helpers.js';
import { TemplateSet } from './engine.js';
import { helmFuncs } from './helm.js';

test('base64 and base32, with decode errors returned as text', () => {
  assert.equal(tpl('{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ b32enc "hello" }} {{ b32dec "NBSWY3DP" }}'), 'aGVsbG8= hello NBSWY3DP hello');
  assert.match(tpl('{{ b64dec "!!" }}'), /^illegal base64 data at input byte 0$/);
});

test('json: toJson sorts keys and escapes HTML; fromJson/fromJsonArray; toPrettyJson; toRawJson', () => {
  assert.equal(tpl('{{ toJson .v }}', { v: { b: [1, 'x<y'], a: null, c: 1.5, d: 3n } }), '{"a":null,"b":[1,"x\\u003cy"],"c":1.5,"d":3}');
  assert.equal(tpl('{{ toRawJson .v }}', { v: { a: '<&>' } }), '{"a":"<&>"}');
  assert.equal(tpl('{{ toPrettyJson .v }}', { v: { a: [1], b: {} } }), '{\n  "a": [\n    1\n  ],\n  "b": {}\n}');
  assert.equal(tpl('{{ (fromJson "{\\"a\\": {\\"b\\": 2}}").a.b }} {{ fromJsonArray "[1, \\"x\\"]" }}'), '2 [1 x]');
  assert.match(tpl('{{ (fromJson "{bad").Error }}'), /invalid character|unexpected end/);
  assert.equal(tpl('{{ toJson 1e21 }} {{ toJson 0.000001 }} {{ toJson 1e-7 }}'), '1e+21 0.000001 1e-7');
});

test('paths follow Go path package', () => {
  assert.equal(tpl('{{ base "/a/b.txt" }} {{ base "" }} {{ base "/" }} {{ dir "/a/b/c" }} {{ dir "x" }} {{ clean "a//b/../c/." }} {{ ext "f.tar.gz" }} {{ isAbs "/x" }}'), 'b.txt . / /a/b . a/c .gz true');
});

test('urlParse and urlJoin', () => {
  assert.equal(tpl('{{ $u := urlParse "https://user@host.com:8080/path?q=1#frag" }}{{ $u.scheme }} {{ $u.host }} {{ $u.hostname }} {{ $u.path }} {{ $u.query }} {{ $u.fragment }} {{ $u.userinfo }}'), 'https host.com:8080 host.com /path q=1 frag user');
  assert.equal(tpl('{{ urlJoin (dict "scheme" "http" "host" "x.io" "path" "/a" "query" "b=1") }}'), 'http://x.io/a?b=1');
});

test('uuidv4, encryptAES/decryptAES, derivePassword', () => {
  assert.match(tpl('{{ uuidv4 }}'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(tpl('{{ encryptAES "secretkey" "plaintext" | decryptAES "secretkey" }}'), 'plaintext');
  assert.equal(tpl('{{ derivePassword 1 "long" "password" "user" "example.com" }}'), 'ZedaFaxcZaso9*');
});

test('bcrypt and htpasswd produce Go-style $2a$ hashes that verify', async () => {
  const { default: bcryptjs } = await import('bcryptjs');
  const h = tpl('{{ bcrypt "secret" }}');
  assert.match(h, /^\$2a\$10\$.{53}$/);
  assert.ok(bcryptjs.compareSync('secret', h));
  const [user, hash] = tpl('{{ htpasswd "admin" "pw" }}').split(':');
  assert.equal(user, 'admin');
  assert.ok(bcryptjs.compareSync('pw', hash));
  assert.equal(tpl('{{ htpasswd "a:b" "pw" }}'), 'invalid username: a:b');
});

test('certificates: genCA, genSignedCert, genSelfSignedCert, genPrivateKey', () => {
  const t = new TemplateSet({ funcs: helmFuncs() });
  t.parse('c', '{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc" (list "10.0.0.1") (list "svc.ns.svc") 30 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}');
  const [caPem, certPem, keyPem] = t.execute('c', {}).split('|');
  const ca = new X509Certificate(caPem);
  const cert = new X509Certificate(certPem);
  assert.equal(ca.subject, 'CN=my-ca');
  assert.equal(ca.ca, true);
  assert.equal(cert.issuer, 'CN=my-ca');
  assert.ok(cert.verify(ca.publicKey));
  assert.match(cert.subjectAltName ?? '', /DNS:svc\.ns\.svc/);
  assert.match(cert.subjectAltName ?? '', /IP Address:10\.0\.0\.1/);
  assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
  t.parse('s', '{{ (genSelfSignedCert "me" nil (list "me.local") 10).Cert }}');
  const self = new X509Certificate(t.execute('s', {}));
  assert.ok(self.verify(self.publicKey));
  t.parse('k', '{{ genPrivateKey "ecdsa" }}|{{ genPrivateKey "nope" }}');
  const [ec, bad] = t.execute('k', {}).split('|');
  assert.match(ec, /^-----BEGIN EC PRIVATE KEY-----/);
  assert.equal(bad, 'Unknown type nope');
});

test('certificate serials are minimal DER integers whatever their random leading bytes', async () => {
  const { derInteger } = await import('./x509-der.js');
  assert.deepEqual(derInteger(Buffer.from([0, 0, 0x12, 0x34])), Buffer.from([0x02, 2, 0x12, 0x34]));
  assert.deepEqual(derInteger(Buffer.from([0, 0x92])), Buffer.from([0x02, 2, 0, 0x92]));
  assert.deepEqual(derInteger(Buffer.from([0xff, 1])), Buffer.from([0x02, 3, 0, 0xff, 1]));
  assert.deepEqual(derInteger(Buffer.from([0, 0])), Buffer.from([0x02, 1, 0]));
});
