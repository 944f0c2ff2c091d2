import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseResourceList } from './resources.js';

it('parses cpu to millicores and other resources to whole units, remembering each string per unit', () => {
  for (let round = 0; round < 2; round++) {
    // The same string means different numbers for cpu and memory: the remembered parse must not mix them.
    assert.deepEqual(parseResourceList({ cpu: '1', memory: '1' }), { cpu: 1000, memory: 1 });
    assert.deepEqual(parseResourceList({ cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' }), { cpu: 100, memory: 128 * 2 ** 20, 'ephemeral-storage': 2 ** 30 });
    assert.deepEqual(parseResourceList({ cpu: 2, memory: 'not-a-quantity' }), { cpu: 2000, memory: 0 });
  }
  assert.deepEqual(parseResourceList(undefined), {});
});

it('stays correct past the bound of remembered strings', () => {
  for (let i = 1; i <= 5000; i++) assert.equal(parseResourceList({ cpu: `${i}m` }).cpu, i);
  for (let i = 1; i <= 5000; i += 499) assert.equal(parseResourceList({ memory: `${i}Ki` }).memory, i * 1024);
  assert.equal(parseResourceList({ cpu: '1500m' }).cpu, 1500);
});
