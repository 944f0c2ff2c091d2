/**
 * `npm run bench -- helm [--runs 20]`
 *
 * Rendering speed of `skiff helm`: each chart of the helm v3.21.4 conformance testcharts (read from
 * ../shared/conformance when present) and a generated chart of 200 templates (deployment + service +
 * configmap shapes using include, toYaml, nindent, range, printf), rendered `--runs` times after a warm-up.
 * Reports milliseconds per render (median) for each.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadChart, loadFiles } from '../src/helm/chart/load.js';
import { renderRelease } from '../src/helm/release-render.js';
import type { Chart } from '../src/helm/chart/types.js';
import { progress, type BenchArgs } from './args.js';

const release = { name: 'bench', namespace: 'default', revision: 1, isInstall: true, isUpgrade: false };

function generatedChart(templates: number): Chart {
  const files = [
    { name: 'Chart.yaml', data: Buffer.from('apiVersion: v2\nname: generated\nversion: 1.0.0\nappVersion: "1.0"\n') },
    {
      name: 'values.yaml',
      data: Buffer.from(
        'replicas: 2\nimage:\n  repository: nginx\n  tag: "1.27"\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\nlabels:\n  team: platform\n  tier: web\nenv:\n' +
          Array.from({ length: 10 }, (_, i) => `  VAR_${i}: value-${i}\n`).join(''),
      ),
    },
    {
      name: 'templates/_helpers.tpl',
      data: Buffer.from(
        '{{- define "gen.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}\n' +
          '{{- define "gen.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\n{{- range $k, $v := .Values.labels }}\n{{ $k }}: {{ $v | quote }}\n{{- end }}\n{{- end -}}\n',
      ),
    },
  ];
  for (let i = 0; i < templates; i++) {
    const kind = i % 3;
    const body =
      kind === 0
        ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "gen.fullname" . }}-${i}\n  labels:\n    {{- include "gen.labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n          env:\n          {{- range $k, $v := .Values.env }}\n            - name: {{ $k }}\n              value: {{ $v | quote }}\n          {{- end }}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n`
        : kind === 1
          ? `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "gen.fullname" . }}-${i}\n  labels:\n    {{- include "gen.labels" . | nindent 4 }}\nspec:\n  ports:\n    - port: {{ add 8000 ${i} }}\n      targetPort: http\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "gen.fullname" . }}-${i}\ndata:\n  config.yaml: |\n    {{- toYaml .Values | nindent 4 }}\n`;
    files.push({ name: `templates/t${i}.yaml`, data: Buffer.from(body) });
  }
  return loadFiles(files);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRenders(chart: Chart, runs: number): number {
  renderRelease(chart, {}, { release, kubeVersion: 'v1.32.0' });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    renderRelease(chart, {}, { release, kubeVersion: 'v1.32.0' });
    times.push(performance.now() - t0);
  }
  return Math.round(median(times) * 100) / 100;
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const runs = args.number('runs', 20);
  const out: Record<string, unknown> = {};
  const roots = [resolve('../shared/conformance/helm-v3.21.4/testcharts'), '/work/shared/conformance/helm-v3.21.4/testcharts'];
  const dir = roots.find((d) => existsSync(d));
  const perChart: Record<string, number> = {};
  if (dir) {
    for (const name of readdirSync(dir).sort()) {
      let chart: Chart;
      try {
        chart = loadChart(join(dir, name));
        perChart[name] = timeRenders(chart, runs);
      } catch {
        continue; // charts that are meant to fail to load or render
      }
      progress(`${name}: ${perChart[name]} ms`);
    }
    out.conformance_charts_rendered = Object.keys(perChart).length;
    out.conformance_ms_per_render_median = median(Object.values(perChart));
    out.conformance_ms_per_render = perChart;
  } else {
    out.conformance_skipped = 'the helm conformance folder (../shared/conformance/helm-v3.21.4) is absent';
  }
  progress('generated 200-template chart');
  const generated = generatedChart(200);
  out.generated_200_templates_ms_per_render = timeRenders(generated, Math.max(5, Math.floor(runs / 2)));
  return out;
}
