import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expand, expandCommand, mappingFor } from './expansion.js';

// Inputs and results from upstream's third_party/forked/golang/expansion tests.
const cases: Array<[string, string]> = [
  ['$(VAR_A)', 'A'],
  ['$(VAR_A)-$(VAR_A)', 'A-A'],
  ['___$(VAR_B)___', '___B___'],
  ['___$(VAR_C)', '___C'],
  ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
  ['$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
  ['$$(VAR_A)_$$(VAR_B)', '$(VAR_A)_$(VAR_B)'],
  ['f000-$$VAR_A', 'f000-$VAR_A'],
  ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
  ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
  ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
  ['$(VAR_REF)', '$(VAR_A)'],
  ['%%$(VAR_REF)--$(VAR_REF)%%', '%%$(VAR_A)--$(VAR_A)%%'],
  ['foo$(VAR_EMPTY)bar', 'foobar'],
  ['foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
  ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
  ['$?_boo_$!', '$?_boo_$!'],
  ['$VAR_A', '$VAR_A'],
  ['$(VAR_DNE)', '$(VAR_DNE)'],
  ['$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
  ['$$$$$$(VAR_A)', '$$$(VAR_A)'],
  ['$$$$$$$(GOOD_ODDS)', '$$$$(GOOD_ODDS)'],
  ['$$$$$$$(VAR_A)', '$$$A'],
  ['$VAR_A)', '$VAR_A)'],
  ['${VAR_A}', '${VAR_A}'],
  ['$(VAR_B)_______$(A', 'B_______$(A'],
  ['$(VAR_C)_______$(', 'C_______$('],
  ['$(VAR_A)foobarzab$', 'Afoobarzab$'],
  ['foo-\\$(VAR_A', 'foo-\\$(VAR_A'],
  ['--$($($($($--', '--$($($($($--'],
  ['$($($($($--foo$(', '$($($($($--foo$('],
  ['$(foo$$var)', '$(foo$$var)'],
  ['$()', '$()'],
  ['\n', '\n'],
  ['$(ಠ_ಠ)-$ಠ', 'eyes-$ಠ'],
];

describe('expand', () => {
  const vars = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '', 'ಠ_ಠ': 'eyes' };
  const single = mappingFor(new Map(Object.entries(vars)));
  const { VAR_A, VAR_EMPTY, ...rest } = vars;
  const dual = mappingFor(new Map(Object.entries({ VAR_A, VAR_EMPTY })), new Map(Object.entries(rest)));
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(want)}`, () => {
      assert.equal(expand(input, single), want);
      assert.equal(expand(input, dual), want);
    });
  }

  it('looks names up in the first map that has them', () => {
    const m = mappingFor(new Map([['X', 'first']]), new Map([['X', 'second'], ['Y', 'y']]));
    assert.equal(expand('$(X)/$(Y)', m), 'first/y');
  });
});

describe('expandCommand', () => {
  const env = [
    { key: 'GREETING', value: 'hello' },
    { key: 'WHO', value: 'world' },
  ];

  it('expands command and args against the environment', () => {
    const got = expandCommand(['/bin/echo', '$(GREETING)'], ['$(WHO)', '$$(WHO)', '$(NOPE)'], env);
    assert.deepEqual(got, { command: ['/bin/echo', 'hello'], args: ['world', '$(WHO)', '$(NOPE)'] });
  });

  it('leaves absent and empty lists undefined', () => {
    assert.deepEqual(expandCommand(undefined, [], env), { command: undefined, args: undefined });
  });

  it('uses the last value of a repeated key', () => {
    const got = expandCommand(['$(K)'], undefined, [
      { key: 'K', value: '1' },
      { key: 'K', value: '2' },
    ]);
    assert.deepEqual(got.command, ['2']);
  });
});
