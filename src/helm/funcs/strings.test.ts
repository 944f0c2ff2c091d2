import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tpl, tplError } from './test-helpers.js';

test('trim family, case changes', () => {
  assert.equal(tpl('{{ trim "  a b \\n" }}|{{ trimAll "$" "$$5.00$" }}|{{ trimSuffix "-" "name-" }}|{{ trimPrefix "x" "xxy" }}'), 'a b|5.00|name|xy');
  assert.equal(tpl('{{ upper "abc" }} {{ lower "ABC" }} {{ title "hello world-foo" }} {{ untitle "Hello World" }}'), 'ABC abc Hello World-Foo hello world');
  assert.equal(tpl('{{ swapcase "This Is A.Test" }}'), 'tHIS iS a.tEST');
  const snake: [string, string][] = [['FirstName', 'first_name'], ['HTTPServer', 'http_server'], ['NoHTTPS', 'no_https'], ['GO_PATH', 'go_path'],
    ['GO PATH', 'go_path'], ['GO-PATH', 'go_path'], ['http2xx', 'http_2xx'], ['HTTP20xOK', 'http_20x_ok'], ['Duration2m3s', 'duration_2m3s'], ['Bld4Floor3rd', 'bld4_floor_3rd']];
  for (const [i, o] of snake) assert.equal(tpl(`{{ snakecase "${i}" }}|{{ kebabcase "${i}" }}`), `${o}|${o.replaceAll('_', '-')}`, i);
  const camel: [string, string][] = [['some_words', 'SomeWords'], ['http_server', 'HttpServer'], ['no_https', 'NoHttps'], ['_complex__case_', '_Complex_Case_'], ['some words', 'SomeWords']];
  for (const [i, o] of camel) assert.equal(tpl(`{{ camelcase "${i}" }}`), o, i);
});

test('trunc, substr, abbrev, initials, repeat, nospace', () => {
  assert.equal(tpl('{{ trunc 5 "hello world" }}|{{ trunc -5 "hello world" }}|{{ trunc 63 "short" }}'), 'hello|world|short');
  assert.equal(tpl('{{ substr 0 5 "hello world" }}|{{ substr 6 -1 "hello world" }}'), 'hello|world');
  assert.equal(tpl('{{ abbrev 5 "hello world" }}|{{ abbrevboth 5 10 "1234 5678 9123" }}'), 'he...|...5678...');
  assert.equal(tpl('{{ initials "First Try" }} {{ repeat 3 "ab" }} {{ nospace "a b\\tc" }}'), 'FT ababab abc');
  assert.match(tplError('{{ trunc 5 .n }}', { n: 3 }), /wrong type for value; expected string; got float64/);
  assert.match(tplError('{{ trunc "5" "abc" }}'), /expected integer; found "5"/);
});

test('quote, squote, cat, contains, hasPrefix, hasSuffix, replace, plural', () => {
  assert.equal(tpl('{{ quote "a" 1 .missing "b\\"c" }}|{{ squote "x" }}|{{ cat "a" 1 .missing "b" }}'), '"a" "1" "b\\"c"|\'x\'|a 1 b');
  assert.equal(tpl('{{ .v | quote }}', { v: 8080 }), '"8080"');
  assert.equal(tpl('{{ contains "cat" "catch" }} {{ hasPrefix "ca" "cat" }} {{ hasSuffix "at" "cat" }}'), 'true true true');
  assert.equal(tpl('{{ "a-b-c" | replace "-" "_" }} {{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}'), 'a_b_c one many');
});

test('indent and nindent', () => {
  assert.equal(tpl('{{ indent 2 "a\\nb" }}|{{ nindent 4 "x" }}'), '  a\n  b|\n    x');
});

test('split, splitList, splitn, join, toStrings, sortAlpha', () => {
  assert.equal(tpl('{{ $p := split "$" "foo$bar$baz" }}{{ $p._0 }}{{ $p._2 }}'), 'foobaz');
  assert.equal(tpl('{{ splitList "," "a,b,c" }} {{ (splitn "$" 2 "a$b$c")._1 }}'), '[a b c] b$c');
  assert.equal(tpl('{{ join "-" (list 1 "a" .missing 2.5) }} {{ join "," "single" }}'), '1-a-2.5 single');
  assert.equal(tpl('{{ sortAlpha (list "b" "C" "a") }} {{ toStrings (list 1 2) | typeOf }}'), '[C a b] []interface {}');
});

test('wrap, wrapWith, random strings, hashes', () => {
  assert.equal(tpl('{{ wrap 5 "Hello World" }}'), 'Hello\nWorld');
  assert.equal(tpl('{{ wrapWith 5 "\\t" "Hello World" }}'), 'Hello\tWorld');
  assert.match(tpl('{{ randAlphaNum 12 }}'), /^[A-Za-z0-9]{12}$/);
  assert.match(tpl('{{ randNumeric 4 }}'), /^\d{4}$/);
  assert.equal(tpl('{{ sha256sum "hello" }}'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  assert.equal(tpl('{{ sha1sum "hello" }} {{ adler32sum "hello" }}'), 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 103547413');
});

test('regex functions with Go syntax', () => {
  assert.equal(tpl('{{ regexMatch "^[a-z]+\\\\d$" "abc1" }} {{ regexMatch "(" "x" }}'), 'true false');
  assert.equal(tpl('{{ regexFindAll "a." "a1a2a3" 2 }} {{ regexFind "[0-9]+" "ab123cd" }}'), '[a1 a2] 123');
  assert.equal(tpl('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}'), '-W-xxW-');
  assert.equal(tpl('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}'), '---');
  assert.equal(tpl('{{ regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "John Smith" "$last, $first" }}'), 'Smith, John');
  assert.equal(tpl('{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}'), '-${1}-${1}-');
  assert.equal(tpl('{{ regexSplit "z+" "pizza" -1 }} {{ regexSplit "z+" "pizza" 1 }}'), '[pi a] [pizza]');
  assert.equal(tpl('{{ regexMatch "(?i)^ABC$" "abc" }} {{ regexQuoteMeta "1.2*" }}'), 'true 1\\.2\\*');
  assert.match(tplError('{{ mustRegexMatch "(" "x" }}'), /error calling mustRegexMatch: error parsing regexp/);
});
