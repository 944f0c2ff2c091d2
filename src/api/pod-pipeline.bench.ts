/**
 * Micro-benchmark of the per-request API work for a typical pod: type check + prune (decode.ts),
 * defaults and validation (kinds/core/pod.ts). Run: `npx tsx src/api/pod-pipeline.bench.ts`.
 * Prints one JSON line: microseconds per pod for each stage and in total.
 */
import { checkTypes } from './decode.js';
import { pod } from './kinds/core/pod.js';

const typical = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-5d8f7c9b6-abcde', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '5d8f7c9b6' } },
  spec: {
    containers: [{
      name: 'web',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80, name: 'http' }],
      env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
    }],
    volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  },
};
const body = JSON.stringify(typical);

/** Mean microseconds per pod of `stage`, over fresh parsed copies made in small untimed batches. */
function measure(n: number, stage: (o: Record<string, unknown>) => void): number {
  const batch = 500;
  let ns = 0n;
  for (let done = 0; done < n; done += batch) {
    const objs = Array.from({ length: batch }, () => JSON.parse(body) as Record<string, unknown>);
    const t0 = process.hrtime.bigint();
    for (const o of objs) stage(o);
    ns += process.hrtime.bigint() - t0;
  }
  return Number(ns) / 1000 / n;
}

const full = (o: Record<string, unknown>): void => {
  checkTypes('V1Pod', o);
  pod.defaults!(o);
  if (pod.validate!(o).length > 0) throw new Error('typical pod should be valid');
};
measure(20000, full); // warm up JIT and schema compilation
const n = 50000;
const result = {
  bench: 'api-pod-pipeline',
  pods: n,
  checkTypesUs: measure(n, (o) => checkTypes('V1Pod', o)),
  defaultsUs: measure(n, (o) => pod.defaults!(o)),
  validateUs: measure(n, (o) => { pod.defaults!(o); pod.validate!(o); }),
  totalUs: measure(n, full),
  jsonParseUs: measure(n, () => JSON.parse(body)),
};
console.log(JSON.stringify(result));
