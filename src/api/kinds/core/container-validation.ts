/**
 * Validation of containers (regular and init), after upstream's validateContainers /
 * validateInitContainers: names, image, ports, env, volume mounts, probes, lifecycle, resources,
 * enums. Input: the container list, its field path, the pod's volume names; output: FieldErrors.
 */
import type { FieldError } from '../../../machinery/errors.js';
import {
  asArray, asObj, asString, checkDNSLabel, checkEnum, checkNonNegative, checkPortNum, checkResourceRequirements,
  envVarNameErrors, forbidden, invalid, portNameErrors, required, type Obj,
} from './validation-helpers.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

export interface ContainerContext {
  volumeNames: Set<string>;
  /** Names already used by other container lists (containers and init containers share one namespace). */
  usedNames: Set<string>;
  init: boolean;
}

export function validateContainerList(list: unknown, fld: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const c = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const name = asString(c.name);
    if (!name) errs.push(required(`${f}.name`));
    else {
      errs.push(...checkDNSLabel(`${f}.name`, name));
      if (ctx.usedNames.has(name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: name });
      ctx.usedNames.add(name);
    }
    if (!asString(c.image).trim()) errs.push(required(`${f}.image`));
    if (c.imagePullPolicy !== undefined) errs.push(...checkEnum(`${f}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    else errs.push(required(`${f}.imagePullPolicy`));
    if (c.terminationMessagePolicy !== undefined) {
      errs.push(...checkEnum(`${f}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
    } else errs.push(required(`${f}.terminationMessagePolicy`));
    errs.push(...validatePorts(c.ports, `${f}.ports`));
    errs.push(...validateEnv(c.env, `${f}.env`));
    errs.push(...validateVolumeMounts(c.volumeMounts, `${f}.volumeMounts`, ctx.volumeNames));
    errs.push(...checkResourceRequirements(asObj(c.resources), `${f}.resources`));
    const sidecar = ctx.init && c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined) {
      if (!ctx.init) errs.push(forbidden(`${f}.restartPolicy`, 'may not be set for non-init containers'));
      else errs.push(...checkEnum(`${f}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[probe] === undefined) continue;
      if (ctx.init && !sidecar) {
        errs.push(forbidden(`${f}.${probe}`, `may not be set for init containers without restartPolicy=Always`));
        continue;
      }
      errs.push(...validateProbe(asObj(c[probe]) ?? {}, `${f}.${probe}`, probe !== 'readinessProbe'));
    }
    const lifecycle = asObj(c.lifecycle);
    if (lifecycle) {
      for (const hook of ['postStart', 'preStop'] as const) {
        const h = asObj(lifecycle[hook]);
        if (h) errs.push(...validateHandler(h, `${f}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
      }
    }
  });
  return errs;
}

function validatePorts(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const p = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const name = asString(p.name);
    if (name) {
      for (const m of portNameErrors(name)) errs.push(invalid(`${f}.name`, name, m));
      if (names.has(name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: name });
      names.add(name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(required(`${f}.containerPort`));
    else errs.push(...checkPortNum(`${f}.containerPort`, p.containerPort));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...checkPortNum(`${f}.hostPort`, p.hostPort));
    if (p.protocol === undefined) errs.push(required(`${f}.protocol`));
    else errs.push(...checkEnum(`${f}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

function validateEnv(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const e = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const name = asString(e.name);
    if (!name) errs.push(required(`${f}.name`));
    else for (const m of envVarNameErrors(name)) errs.push(invalid(`${f}.name`, name, m));
    const from = asObj(e.valueFrom);
    if (!from) return;
    const set = ENV_SOURCES.filter((s) => from[s] !== undefined);
    if (set.length === 0) {
      errs.push(invalid(`${f}.valueFrom`, '', 'must specify one of: `configMapKeyRef`, `fieldRef`, `resourceFieldRef` or `secretKeyRef`'));
    } else if (set.length > 1) {
      errs.push(invalid(`${f}.valueFrom`, '', 'may not have more than one field specified at a time'));
    }
    if (asString(e.value) !== '' && set.length > 0) {
      errs.push(invalid(`${f}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const r = asObj(from[ref]);
      if (r && !asString(r.key)) errs.push(required(`${f}.valueFrom.${ref}.key`));
    }
    const fieldRef = asObj(from.fieldRef);
    if (fieldRef) errs.push(...validateEnvFieldPath(asString(fieldRef.fieldPath), `${f}.valueFrom.fieldRef.fieldPath`));
    const resourceRef = asObj(from.resourceFieldRef);
    if (resourceRef) {
      const resource = asString(resourceRef.resource);
      if (!resource) errs.push(required(`${f}.valueFrom.resourceFieldRef.resource`));
      else if (!ENV_RESOURCES.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
        errs.push({ type: 'NotSupported', field: `${f}.valueFrom.resourceFieldRef.resource`, value: resource, detail: `supported values: ${ENV_RESOURCES.map((r) => JSON.stringify(r)).join(', ')}` });
      }
    }
  });
  return errs;
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const ENV_RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** Downward API paths an env var may read: the fixed list plus one label or annotation by key. */
function validateEnvFieldPath(fieldPath: string, fld: string): FieldError[] {
  if (!fieldPath) return [required(fld)];
  if (ENV_FIELD_PATHS.includes(fieldPath) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(fieldPath)) return [];
  return [{ type: 'NotSupported', field: fld, value: fieldPath, detail: `supported values: ${ENV_FIELD_PATHS.map((p) => JSON.stringify(p)).join(', ')}` }];
}

function validateVolumeMounts(list: unknown, fld: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const m = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const name = asString(m.name);
    if (!name) errs.push(required(`${f}.name`));
    else if (!volumes.has(name)) errs.push({ type: 'NotFound', field: `${f}.name`, value: name });
    const mountPath = asString(m.mountPath);
    if (!mountPath) errs.push(required(`${f}.mountPath`));
    else if (paths.has(mountPath)) errs.push(invalid(`${f}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
    if (m.subPath !== undefined && m.subPathExpr !== undefined) {
      errs.push(invalid(`${f}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    }
    const sub = asString(m.subPath);
    if (sub.startsWith('/')) errs.push(invalid(`${f}.subPath`, sub, 'must be a relative path'));
    else if (sub.split('/').includes('..')) errs.push(invalid(`${f}.subPath`, sub, "must not contain '..'"));
  });
  return errs;
}

/** Exactly one handler (exec / httpGet / tcpSocket / grpc / sleep) with its own checks. */
function validateHandler(h: Obj, fld: string, allowed: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const set = allowed.filter((k) => h[k] !== undefined);
  if (set.length === 0) return [required(fld, 'must specify a handler type')];
  for (const extra of set.slice(1)) errs.push(forbidden(`${fld}.${extra}`, 'may not specify more than 1 handler type'));
  const exec = asObj(h.exec);
  if (exec && asArray(exec.command).length === 0) errs.push(required(`${fld}.exec.command`));
  for (const k of ['httpGet', 'tcpSocket'] as const) {
    const a = asObj(h[k]);
    if (!a) continue;
    const port = a.port;
    if (typeof port === 'number') errs.push(...checkPortNum(`${fld}.${k}.port`, port));
    else if (typeof port === 'string') {
      for (const m of portNameErrors(port)) errs.push(invalid(`${fld}.${k}.port`, port, m));
    } else errs.push(required(`${fld}.${k}.port`));
    if (k === 'httpGet') {
      if (!asString(a.path)) errs.push(required(`${fld}.httpGet.path`));
      errs.push(...checkEnum(`${fld}.httpGet.scheme`, a.scheme ?? 'HTTP', ['HTTP', 'HTTPS']));
    }
  }
  const grpc = asObj(h.grpc);
  if (grpc) errs.push(...checkPortNum(`${fld}.grpc.port`, grpc.port));
  return errs;
}

function validateProbe(p: Obj, fld: string, successMustBeOne: boolean): FieldError[] {
  const errs = validateHandler(p, fld, HANDLERS);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...checkNonNegative(`${fld}.${k}`, p[k]));
  }
  if (successMustBeOne && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(invalid(`${fld}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined && typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(`${fld}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}
