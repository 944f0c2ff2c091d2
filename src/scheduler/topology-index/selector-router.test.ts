import assert from 'node:assert/strict';
import { it } from 'node:test';
import { selectorFromLabelSelector, type LabelSelectorSpec } from '../../machinery/labels.js';
import { SelectorRouter, selectorKey } from './selector-router.js';

const sel = (spec: LabelSelectorSpec) => selectorFromLabelSelector(spec);

it('offers only the items that can select a pod, each once; removed items are gone', () => {
  const router = new SelectorRouter<string>();
  const items: Record<string, LabelSelectorSpec> = {
    web: { matchLabels: { app: 'web' } },
    webOrDb: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] },
    hasTier: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    notFe: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] },
  };
  for (const [name, spec] of Object.entries(items)) router.add(name, sel(spec));
  const candidates = (labels: Record<string, string>) => [...router.candidates(labels)].sort();
  // Items without an equality requirement are candidates for every pod; the others only by label.
  assert.deepEqual(candidates({ app: 'web' }), ['hasTier', 'notFe', 'web', 'webOrDb']);
  assert.deepEqual(candidates({ app: 'db', tier: 'fe' }), ['hasTier', 'notFe', 'webOrDb']);
  assert.deepEqual(candidates({ app: 'cache' }), ['hasTier', 'notFe']);
  router.remove('webOrDb', sel(items.webOrDb!));
  router.remove('hasTier', sel(items.hasTier!));
  assert.deepEqual(candidates({ app: 'db' }), ['notFe']);
  assert.equal(router.size, 2);
});

it('never offers an item whose selector matches nothing, but counts it', () => {
  const router = new SelectorRouter<string>();
  router.add('none', { requirements: [], nothing: true });
  assert.deepEqual([...router.candidates({ app: 'web' })], []);
  assert.equal(router.size, 1);
});

it('gives equal selectors one key whatever the order of their requirements', () => {
  const a = sel({ matchLabels: { app: 'web', tier: 'be' } });
  const b = sel({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['be'] }], matchLabels: { app: 'web' } });
  const c = sel({ matchLabels: { app: 'web' } });
  assert.equal(selectorKey(sel({ matchLabels: { tier: 'be', app: 'web' } })), selectorKey(a));
  assert.notEqual(selectorKey(a), selectorKey(c));
  assert.notEqual(selectorKey(b), selectorKey(c));
  assert.notEqual(selectorKey({ requirements: [], nothing: true }), selectorKey({ requirements: [] }));
});
