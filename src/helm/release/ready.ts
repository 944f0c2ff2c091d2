/**
 * --wait readiness, judged as helm's ReadyChecker (pkg/kube/ready.go): Pods Ready, Jobs complete
 * (only with --wait-for-jobs), Deployments whose newest ReplicaSet has enough ready pods, Services
 * with a cluster IP (and a load-balancer address for type LoadBalancer), PVCs Bound, DaemonSets and
 * StatefulSets rolled out, ReplicaSets/RCs ready, CRDs Established. Other kinds are ready at once.
 *
 * Input: a KubeClient and resources. Output: `waitForReady` resolves when all are ready, or throws
 * helm's "context deadline exceeded" (with the first unready object) at the timeout.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeClient, KubeObject, Resource } from './kube.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

export interface Readiness { ready: boolean; reason?: string }

function condition(o: KubeObject, type: string): string | undefined {
  return arr(obj(o.status).conditions).find((c) => c.type === type)?.status as string | undefined;
}

function generationObserved(o: KubeObject): boolean {
  const gen = obj(o.metadata).generation;
  return gen === undefined || num(obj(o.status).observedGeneration) === num(gen);
}

/** intstr percent or int of `total` (rounded down for maxUnavailable, as deploymentutil does). */
function scaled(v: unknown, total: number, dflt: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) return Math.floor((Number(v.slice(0, -1)) * total) / 100);
  return dflt;
}

function podReady(p: KubeObject): boolean {
  return condition(p, 'Ready') === 'True' || obj(p.status).phase === 'Succeeded';
}

function withoutHash(template: unknown): unknown {
  const t = structuredClone(obj(template));
  const labels = obj(obj(t.metadata).labels);
  delete labels['pod-template-hash'];
  return t;
}

async function deploymentReady(kube: KubeClient, d: KubeObject): Promise<Readiness> {
  const spec = obj(d.spec);
  if (spec.paused === true) return { ready: true };
  const meta = obj(d.metadata);
  const ns = String(meta.namespace ?? '');
  const rsList = await kube.list('apps/v1', 'ReplicaSet', ns);
  const newRs = rsList.find((rs) =>
    arr(obj(rs.metadata).ownerReferences).some((o) => o.controller === true && o.uid === meta.uid)
    && isDeepStrictEqual(withoutHash(obj(rs.spec).template), withoutHash(spec.template)));
  if (!newRs) return { ready: false, reason: 'no new ReplicaSet yet' };
  if (!generationObserved(newRs)) return { ready: false, reason: 'ReplicaSet generation not observed' };
  if (!generationObserved(d)) return { ready: false, reason: `observedGeneration does not match spec generation` };
  const replicas = num(spec.replicas, 1);
  const strategy = obj(spec.strategy);
  const maxUnavailable = strategy.type === 'Recreate' ? 0 : scaled(obj(strategy.rollingUpdate).maxUnavailable, replicas, Math.floor(replicas / 4));
  const expected = replicas - maxUnavailable;
  const ready = num(obj(newRs.status).readyReplicas);
  return ready >= expected ? { ready: true } : { ready: false, reason: `${ready} out of ${expected} expected pods are ready` };
}

function jobReady(j: KubeObject): Readiness {
  const st = obj(j.status);
  const backoff = num(obj(j.spec).backoffLimit, 6);
  if (condition(j, 'Failed') === 'True' || num(st.failed) > backoff) throw new Error(`job is failed: ${String(obj(j.metadata).namespace ?? '')}/${String(obj(j.metadata).name)}`);
  const completions = obj(j.spec).completions;
  if (typeof completions === 'number' && num(st.succeeded) < completions) return { ready: false, reason: `${num(st.succeeded)} of ${completions} completions` };
  if (completions === undefined && condition(j, 'Complete') !== 'True' && num(st.succeeded) < 1) return { ready: false, reason: 'not complete' };
  return { ready: true };
}

function statefulSetReady(s: KubeObject): Readiness {
  const spec = obj(s.spec);
  const st = obj(s.status);
  const strategy = obj(spec.updateStrategy);
  if (strategy.type === 'OnDelete') return { ready: true };
  if (!generationObserved(s)) return { ready: false, reason: 'generation not observed' };
  const replicas = num(spec.replicas, 1);
  const partition = num(obj(strategy.rollingUpdate).partition);
  if (num(st.updatedReplicas) < replicas - partition) return { ready: false, reason: `${num(st.updatedReplicas)} of ${replicas - partition} pods updated` };
  if (num(st.readyReplicas) < replicas) return { ready: false, reason: `${num(st.readyReplicas)} of ${replicas} pods ready` };
  if (partition === 0 && st.currentRevision !== st.updateRevision) return { ready: false, reason: 'update revision not current' };
  return { ready: true };
}

function daemonSetReady(d: KubeObject): Readiness {
  const spec = obj(d.spec);
  const st = obj(d.status);
  if (obj(spec.updateStrategy).type === 'OnDelete') return { ready: true };
  if (!generationObserved(d)) return { ready: false, reason: 'generation not observed' };
  const desired = num(st.desiredNumberScheduled);
  if (num(st.updatedNumberScheduled) < desired) return { ready: false, reason: `${num(st.updatedNumberScheduled)} of ${desired} updated` };
  const maxUnavailable = scaled(obj(obj(spec.updateStrategy).rollingUpdate).maxUnavailable, desired, 1);
  if (num(st.numberReady) < desired - maxUnavailable) return { ready: false, reason: `${num(st.numberReady)} of ${desired - maxUnavailable} ready` };
  return { ready: true };
}

/** IsReady for one live object. */
export async function isReady(kube: KubeClient, r: Resource, live: KubeObject, waitForJobs: boolean): Promise<Readiness> {
  const st = obj(live.status);
  switch (r.kind) {
    case 'Pod': return podReady(live) ? { ready: true } : { ready: false, reason: 'pod not ready' };
    case 'Job': return waitForJobs ? jobReady(live) : { ready: true };
    case 'Deployment': return deploymentReady(kube, live);
    case 'PersistentVolumeClaim': return st.phase === 'Bound' ? { ready: true } : { ready: false, reason: 'PVC not bound' };
    case 'Service': {
      const spec = obj(live.spec);
      if (spec.type === 'ExternalName') return { ready: true };
      if (!spec.clusterIP) return { ready: false, reason: 'no cluster IP' };
      if (spec.type === 'LoadBalancer' && arr(spec.externalIPs).length === 0 && arr(obj(st.loadBalancer).ingress).length === 0) return { ready: false, reason: 'no load balancer ingress' };
      return { ready: true };
    }
    case 'DaemonSet': return daemonSetReady(live);
    case 'StatefulSet': return statefulSetReady(live);
    case 'ReplicaSet': case 'ReplicationController': {
      if (!generationObserved(live)) return { ready: false, reason: 'generation not observed' };
      const want = num(obj(live.spec).replicas, 1);
      return num(st.readyReplicas) >= want ? { ready: true } : { ready: false, reason: `${num(st.readyReplicas)} of ${want} ready` };
    }
    case 'CustomResourceDefinition': return condition(live, 'Established') === 'True' ? { ready: true } : { ready: false, reason: 'not established' };
    default: return { ready: true };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitForReady(kube: KubeClient, resources: Resource[], timeoutMs: number, waitForJobs: boolean, pollMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  kube.log(`beginning wait for ${resources.length} resources with timeout of ${Math.round(timeoutMs / 1000)}s`);
  for (;;) {
    let pending: string | undefined;
    for (const r of resources) {
      const live = await kube.get(r);
      const state = live ? await isReady(kube, r, live, waitForJobs) : { ready: false, reason: 'not found' };
      if (!state.ready) { pending = `${r.kind} is not ready: ${r.namespace ? `${r.namespace}/` : ''}${r.name}. ${state.reason ?? ''}`.trim(); break; }
    }
    if (!pending) return;
    kube.log(pending);
    if (Date.now() >= deadline) throw new Error(`context deadline exceeded (${pending})`);
    await sleep(Math.min(pollMs, Math.max(10, deadline - Date.now())));
  }
}

/** watchUntilReady for hooks: Jobs until complete, Pods until Succeeded; failures throw. */
export async function waitForHook(kube: KubeClient, r: Resource, timeoutMs: number, pollMs = 300): Promise<void> {
  if (r.kind !== 'Job' && r.kind !== 'Pod') return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await kube.get(r);
    if (live) {
      if (r.kind === 'Job') {
        if (condition(live, 'Failed') === 'True') throw new Error(`job failed: ${String(arr(obj(live.status).conditions).find((c) => c.type === 'Failed')?.reason ?? 'BackoffLimitExceeded')}`);
        if (condition(live, 'Complete') === 'True') return;
      } else {
        const phase = obj(live.status).phase;
        if (phase === 'Failed') throw new Error(`pod ${r.name} failed`);
        if (phase === 'Succeeded') return;
      }
    }
    if (Date.now() >= deadline) throw new Error(`${r.kind} ${r.name}: context deadline exceeded`);
    await sleep(pollMs);
  }
}
