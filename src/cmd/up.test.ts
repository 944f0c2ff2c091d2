import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRuntime } from './up.js';

const missing = () => ({ ok: false, missing: ['root (run as root)', 'runc'], hint: 'apt-get install -y containerd runc containernetworking-plugins catatonit iptables' });
const present = () => ({ ok: true, missing: [], hint: '' });

test('skiff up picks containerd when it can, and otherwise says what is missing before falling back', () => {
  const warnings: string[] = [];
  assert.equal(chooseRuntime(undefined, present, (m) => warnings.push(m)), 'containerd');
  assert.equal(chooseRuntime(undefined, missing, (m) => warnings.push(m)), 'sim');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /missing root \(run as root\), runc\. To install: apt-get install -y containerd runc .*Running simulated nodes instead/);
  assert.equal(chooseRuntime('sim', missing, () => assert.fail('no warning for an explicit sim')), 'sim');
  assert.throws(() => chooseRuntime('containerd', missing), /containerd cannot run here: missing root \(run as root\), runc/);
});
