import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchArgs } from './args.js';

test('BenchArgs parses --name value, --name=value, bare flags and lists', () => {
  const a = new BenchArgs(['--seconds', '5', '--pods=200', '--verbose', '--only', 'get,list', 'extra']);
  assert.equal(a.number('seconds', 10), 5);
  assert.equal(a.number('pods', 10_000), 200);
  assert.equal(a.number('watchers', 1000), 1000);
  assert.equal(a.bool('verbose'), true);
  assert.equal(a.bool('quiet'), false);
  assert.deepEqual(a.list('only'), ['get', 'list']);
  assert.equal(a.list('skip'), undefined);
  assert.deepEqual(a.positional, ['extra']);
  assert.throws(() => new BenchArgs(['--seconds', 'ten']).number('seconds', 1), /--seconds needs a number/);
});
