import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCompatibleRange, parseSemver } from './semver.js';
import { goMatch } from './gomatch.js';

test('loose versions parse; invalid ones do not', () => {
  assert.deepEqual(parseSemver('v1.2')?.minor, 2);
  assert.equal(parseSemver('1.2.3-alpha.01'), undefined);
  assert.equal(parseSemver('one'), undefined);
});

test('constraints as Masterminds/semver v3 checks them', () => {
  const cases: [string, string, boolean][] = [
    ['~0.1.0', '0.1.5', true], ['~0.1.0', '0.2.0', false], ['^1.2.3', '1.9.0', true], ['^1.2.3', '2.0.0', false],
    ['^0.2.3', '0.2.9', true], ['^0.2.3', '0.3.0', false], ['>=1.19.0-0', 'v1.20.0', true], ['>= 1.10, < 1.20', '1.20.0', false],
    ['1.2.x', '1.2.9', true], ['1.2.x', '1.3.0', false], ['*', '3.0.0', true], ['1.0.0 - 2.0.0', '2.0.0', true],
    ['<1.0.0 || >=2.0.0', '2.1.0', true], ['>=1.0.0', '1.1.0-beta', false], ['', '0.1.0', false],
  ];
  for (const [c, v, want] of cases) assert.equal(isCompatibleRange(c, v), want, `${c} vs ${v}`);
});

test('filepath.Match semantics', () => {
  assert.equal(goMatch('templates/subdir/role*', 'templates/subdir/rolebinding.yaml'), true);
  assert.equal(goMatch('templates/*', 'templates/subdir/role.yaml'), false);
  assert.equal(goMatch('[a-c]?.yaml', 'bx.yaml'), true);
  assert.equal(goMatch('[^a-c]?.yaml', 'bx.yaml'), false);
  assert.throws(() => goMatch('[', 'a'));
});
