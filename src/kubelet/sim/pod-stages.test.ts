/**
 * Golden tests of the built-in pod stages (kwok style): each `testdata/<case>.input.yaml` pod is run
 * through podStages on a simulated clock (advanced by each stage's delay) until no stage matches or
 * the step limit is reached; the stages taken and the resulting status must equal
 * `testdata/<case>.output.yaml`. Regenerate after a deliberate change with SKIFF_UPDATE_GOLDEN=1
 * (and review the diff).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { applyMergePatch } from '../../machinery/patch.js';
import { podStages } from './pod-stages.js';
import { defaultTimings, type Pod, type StageContext } from './types.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const START = Date.parse('2026-01-01T00:00:00Z');

interface Trace {
  stages: Array<{ stage: string; atSeconds: number }>;
  deleted: boolean;
  status: unknown;
}

/** Runs the stages synchronously; `maxSteps` bounds endless lifecycles such as crash loops. */
export function runStages(input: Pod, maxSteps = 8): Trace {
  let clock = START;
  let pod = structuredClone(input);
  const ctx: StageContext = {
    now: () => clock,
    timings: { ...defaultTimings, crashBackoffBaseMs: 10_000 },
    podIP: (p) => (p.spec?.nodeName === 'sim-node-3' ? '10.244.3.2' : undefined),
    hostIP: (n) => (n === 'sim-node-3' ? '172.16.0.13' : undefined),
  };
  const trace: Trace = { stages: [], deleted: false, status: undefined };
  for (let step = 0; step < maxSteps; step++) {
    const stage = podStages.find((s) => s.selector(pod, ctx));
    if (!stage) break;
    clock += stage.delayMs(pod, ctx);
    trace.stages.push({ stage: stage.name, atSeconds: (clock - START) / 1000 });
    const action = stage.apply(pod, ctx);
    if (action.type === 'delete') {
      trace.deleted = true;
      break;
    }
    // What the API server stores for a merge patch of the status, JSON round trip included.
    pod = JSON.parse(JSON.stringify(applyMergePatch(pod, { status: action.status }))) as Pod;
  }
  trace.status = pod.status;
  return trace;
}

const cases = readdirSync(dir).filter((f) => f.endsWith('.input.yaml')).map((f) => f.replace(/\.input\.yaml$/, ''));

test('golden cases exist', () => {
  assert.ok(cases.length >= 8, `only ${cases.length} cases in ${dir}`);
});

for (const name of cases) {
  test(`pod stages golden: ${name}`, () => {
    const input = parse(readFileSync(join(dir, `${name}.input.yaml`), 'utf8')) as { pod: Pod; maxSteps?: number };
    const got = runStages(input.pod, input.maxSteps);
    const outPath = join(dir, `${name}.output.yaml`);
    if (process.env.SKIFF_UPDATE_GOLDEN === '1') writeFileSync(outPath, stringify(got));
    assert.deepEqual(got, parse(readFileSync(outPath, 'utf8')));
  });
}
