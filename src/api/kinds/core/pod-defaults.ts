/**
 * Pod defaulting after upstream's pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, _Container,
 * _Probe, _HTTPGetAction, _Volume and volume sources, _ObjectFieldSelector) and SetDefaults_Pod.
 *
 * `defaultPodSpec` is what every object embedding a PodSpec gets (pods and templates alike);
 * `defaultPod` adds what only materialises on Pods (requests from limits, enableServiceLinks,
 * host-network host ports). Both mutate in place.
 */
import { asArray, asObj, type Obj } from './validation-helpers.js';

/** Default ImagePullPolicy: Always for `:latest` or an untagged image without digest, else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    return tagOf(beforeDigest) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  const tag = tagOf(image);
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The tag of `repo[:tag]`, ignoring a registry host:port prefix. */
function tagOf(ref: string): string | undefined {
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : ref.slice(colon + 1);
}

function defaultHTTPGet(h: Obj | undefined): void {
  if (!h) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(asObj(p.httpGet));
}

function defaultFieldRef(ref: Obj | undefined): void {
  if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
}

function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  // A struct (not a pointer) upstream: always serialised, as `resources: {}` when empty.
  if (c.resources === undefined || c.resources === null) c.resources = {};
  for (const p of asArray(c.ports)) {
    const port = asObj(p);
    if (port && !port.protocol) port.protocol = 'TCP';
  }
  for (const e of asArray(c.env)) defaultFieldRef(asObj(asObj(asObj(e)?.valueFrom)?.fieldRef));
  defaultProbe(asObj(c.livenessProbe));
  defaultProbe(asObj(c.readinessProbe));
  defaultProbe(asObj(c.startupProbe));
  const lifecycle = asObj(c.lifecycle);
  if (lifecycle) {
    defaultHTTPGet(asObj(asObj(lifecycle.postStart)?.httpGet));
    defaultHTTPGet(asObj(asObj(lifecycle.preStop)?.httpGet));
  }
}

function defaultDownwardItems(items: unknown): void {
  for (const it of asArray(items)) defaultFieldRef(asObj(asObj(it)?.fieldRef));
}

function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
  if (sources.length === 0) v.emptyDir = {};
  const hostPath = asObj(v.hostPath);
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected'] as const) {
    const s = asObj(v[k]);
    if (s && s.defaultMode === undefined) s.defaultMode = 420;
  }
  defaultDownwardItems(asObj(v.downwardAPI)?.items);
  for (const src of asArray(asObj(v.projected)?.sources)) {
    const s = asObj(src);
    defaultDownwardItems(asObj(s?.downwardAPI)?.items);
    const token = asObj(s?.serviceAccountToken);
    if (token && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
  }
  const image = asObj(v.image);
  if (image && !image.pullPolicy) {
    const ref = typeof image.reference === 'string' ? image.reference : '';
    image.pullPolicy = tagOf(ref.split('@')[0]) === 'latest' ? 'Always' : 'IfNotPresent';
  }
}

/** SetDefaults_PodSpec plus the defaulters of everything nested in a PodSpec. */
export function defaultPodSpec(spec: Obj): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const c of asArray(spec[list])) {
      const o = asObj(c);
      if (o) defaultContainer(o);
    }
  }
  for (const v of asArray(spec.volumes)) {
    const o = asObj(v);
    if (o) defaultVolume(o);
  }
}

/** SetDefaults_Pod: the PodSpec defaults plus requests from limits, enableServiceLinks, host ports. */
export function defaultPod(pod: Obj): void {
  const spec = asObj(pod.spec);
  if (!spec) return;
  defaultPodSpec(spec);
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of asArray(spec[list])) {
      const res = asObj(asObj(c)?.resources);
      const limits = asObj(res?.limits);
      if (!res || !limits) continue;
      const requests = asObj(res.requests) ?? {};
      for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
      res.requests = requests;
    }
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const list of ['containers', 'initContainers'] as const) {
      for (const c of asArray(spec[list])) {
        for (const p of asArray(asObj(c)?.ports)) {
          const port = asObj(p);
          if (port && !port.hostPort) port.hostPort = port.containerPort;
        }
      }
    }
  }
}
