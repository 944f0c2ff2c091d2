/**
 * Conformance with real helm v3.21.4: runs every row of the shared golden suite
 * (../shared/conformance/helm-v3.21.4/cases.tsv, or /work/shared/...) through runHelm and compares
 * stdout (rows `ok`) or stderr (rows `error`) byte for byte with the golden file.
 * Skips, saying why, when the folder is absent. The golden data is never copied into the repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runHelm } from '../cmd/helm/index.js';
import { SOURCE_DEFAULT_KUBE_VERSION } from './render-data.js';

const CANDIDATES = [resolve(process.cwd(), '../shared/conformance/helm-v3.21.4'), '/work/shared/conformance/helm-v3.21.4'];
const suiteDir = CANDIDATES.find((d) => existsSync(resolve(d, 'cases.tsv')));

/** Split the args column on blanks, keeping a `{{ ... }}` template expression in one argument
 *  (the TSV has no shell quoting). */
export function splitArgs(line: string): string[] {
  const raw = line.split(/\s+/).filter((t) => t !== '');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let tok = raw[i];
    if (tok.includes('{{') && !tok.includes('}}')) {
      while (i + 1 < raw.length && !tok.includes('}}')) tok += ' ' + raw[++i];
    }
    out.push(tok);
  }
  return out;
}

class Buffer_ {
  text = '';
  write(s: string) { this.text += s; return true; }
}

if (!suiteDir) {
  test('helm v3.21.4 conformance', { skip: `golden suite not found (looked in ${CANDIDATES.join(', ')})` }, () => undefined);
} else {
  const rows = readFileSync(resolve(suiteDir, 'cases.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  // The golden files come from helm's test build, which keeps the source default Kubernetes
  // version (v1.20.0) instead of the release build's ldflags value; select the same build.
  process.env.SKIFF_HELM_DEFAULT_KUBE_VERSION = SOURCE_DEFAULT_KUBE_VERSION;
  const originalCwd = process.cwd();
  for (const row of rows) {
    const [golden, expect, args] = row.split('\t');
    test(`helm ${args}`, async () => {
      const expected = readFileSync(resolve(suiteDir, golden), 'utf8');
      const stdout = new Buffer_();
      const stderr = new Buffer_();
      process.chdir(suiteDir);
      let code: number;
      try {
        code = await runHelm(splitArgs(args), { stdout, stderr });
      } finally {
        process.chdir(originalCwd);
      }
      if (expect === 'ok') {
        assert.equal(stderr.text.split('\n').filter((l) => l.startsWith('Error')).join('\n'), '', 'unexpected error output');
        assert.equal(code, 0);
        assert.equal(stdout.text, expected);
      } else {
        assert.notEqual(code, 0, 'expected a failing exit');
        assert.equal(stderr.text, expected);
      }
    });
  }
}
