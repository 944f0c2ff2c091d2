/**
 * Pod spec validation after upstream's ValidatePodSpec / ValidatePodTemplateSpec / ValidatePodUpdate
 * (pkg/apis/core/validation/validation.go). Other groups (apps, batch) validate their pod templates
 * with `validatePodTemplateSpec(template, 'spec.template')`.
 *
 * Inputs are plain JSON objects that already passed type checking (decode.ts) and defaulting
 * (pod-defaults.ts); outputs are all problems found, each with its field path.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { validateContainerList } from './container-validation.js';
import { validateAffinity, validateTopologySpreadConstraints } from './scheduling-validation.js';
import { validateVolumes } from './volume-validation.js';
import {
  asArray, asObj, asString, checkDNSLabel, checkDNSSubdomain, checkEnum, checkLabelMap, checkNonNegative,
  checkQualifiedName, forbidden, invalid, required, type Obj,
} from './validation-helpers.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];
const MAX_INT32 = 2147483647;

/** ValidatePodSpec: the spec at `fld` (e.g. `spec` or `spec.template.spec`). */
export function validatePodSpec(specIn: unknown, fld: string): FieldError[] {
  const spec = asObj(specIn) ?? {};
  const errs: FieldError[] = [];
  const vols = validateVolumes(spec.volumes, `${fld}.volumes`);
  errs.push(...vols.errors);
  const usedNames = new Set<string>();
  if (asArray(spec.containers).length === 0) errs.push(required(`${fld}.containers`));
  errs.push(...validateContainerList(spec.initContainers, `${fld}.initContainers`, { volumeNames: vols.names, usedNames, init: true }));
  errs.push(...validateContainerList(spec.containers, `${fld}.containers`, { volumeNames: vols.names, usedNames, init: false }));
  errs.push(...checkEphemeralContainers(spec.ephemeralContainers, `${fld}.ephemeralContainers`, usedNames));

  if (spec.restartPolicy === undefined || spec.restartPolicy === '') errs.push(required(`${fld}.restartPolicy`));
  else errs.push(...checkEnum(`${fld}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy === undefined || spec.dnsPolicy === '') errs.push(required(`${fld}.dnsPolicy`));
  else errs.push(...checkEnum(`${fld}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  if (spec.dnsPolicy === 'None' && !asObj(spec.dnsConfig)) {
    errs.push(required(`${fld}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...checkDNSConfig(asObj(spec.dnsConfig), `${fld}.dnsConfig`));

  errs.push(...checkLabelMap(spec.nodeSelector, `${fld}.nodeSelector`));
  for (const k of ['serviceAccountName', 'nodeName', 'schedulerName', 'priorityClassName'] as const) {
    const v = asString(spec[k]);
    if (v) errs.push(...checkDNSSubdomain(`${fld}.${k}`, v));
  }
  for (const k of ['hostname', 'subdomain'] as const) {
    const v = asString(spec[k]);
    if (v) errs.push(...checkDNSLabel(`${fld}.${k}`, v));
  }
  errs.push(...checkNonNegative(`${fld}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds));
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid(`${fld}.activeDeadlineSeconds`, ads, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (spec.preemptionPolicy !== undefined) errs.push(...checkEnum(`${fld}.preemptionPolicy`, spec.preemptionPolicy, PREEMPTION_POLICIES));
  errs.push(...validateTolerations(spec.tolerations, `${fld}.tolerations`));
  asArray(spec.imagePullSecrets).forEach((s, i) => {
    const name = asString(asObj(s)?.name);
    if (!name) errs.push(required(`${fld}.imagePullSecrets[${i}].name`));
  });
  if (spec.hostNetwork === true) errs.push(...checkHostNetworkPorts(spec, fld));
  errs.push(...validateAffinity(spec.affinity, `${fld}.affinity`));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${fld}.topologySpreadConstraints`));
  errs.push(...checkSecurityContext(asObj(spec.securityContext), `${fld}.securityContext`));
  return errs;
}

/** The numeric ids of a (pod or container) security context are not negative. */
export function checkSecurityContext(sc: Obj | undefined, fld: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const k of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) errs.push(...checkNonNegative(`${fld}.${k}`, sc[k]));
  asArray(sc.supplementalGroups).forEach((g, i) => errs.push(...checkNonNegative(`${fld}.supplementalGroups[${i}]`, g)));
  return errs;
}

function checkEphemeralContainers(list: unknown, fld: string, used: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const name = asString(asObj(raw)?.name);
    if (!name) errs.push(required(`${fld}[${i}].name`));
    else if (used.has(name)) errs.push({ type: 'Duplicate', field: `${fld}[${i}].name`, value: name });
    used.add(name);
  });
  return errs;
}

function checkDNSConfig(cfg: Obj | undefined, fld: string): FieldError[] {
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const ns = asArray(cfg.nameservers);
  if (ns.length > 3) errs.push(invalid(`${fld}.nameservers`, ns, 'must not have more than 3 nameservers'));
  const search = asArray(cfg.searches);
  if (search.length > 32) errs.push(invalid(`${fld}.searches`, search, 'must not have more than 32 search paths'));
  return errs;
}

function checkHostNetworkPorts(spec: Obj, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    asArray(spec[list]).forEach((c, ci) => {
      asArray(asObj(c)?.ports).forEach((p, pi) => {
        const port = asObj(p) ?? {};
        if (port.hostPort !== undefined && port.hostPort !== 0 && port.hostPort !== port.containerPort) {
          errs.push(invalid(`${fld}.${list}[${ci}].ports[${pi}].hostPort`, port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  return errs;
}

/** ValidateTolerations. */
export function validateTolerations(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const t = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const key = asString(t.key);
    if (key) errs.push(...checkQualifiedName(`${f}.key`, key));
    const op = t.operator === undefined || t.operator === '' ? 'Equal' : t.operator;
    if (!key && op !== 'Exists') errs.push(invalid(`${f}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalid(`${f}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (op === 'Exists' && asString(t.value) !== '') errs.push(invalid(`${f}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    else if (op !== 'Exists') errs.push(...checkEnum(`${f}.operator`, op, TOLERATION_OPERATORS));
    if (t.effect !== undefined && t.effect !== '') errs.push(...checkEnum(`${f}.effect`, t.effect, TAINT_EFFECTS));
  });
  return errs;
}

/** ValidatePodTemplateSpec: template metadata labels/annotations and its pod spec, under `fld`. */
export function validatePodTemplateSpec(tplIn: unknown, fld: string): FieldError[] {
  const tpl = asObj(tplIn) ?? {};
  const meta = asObj(tpl.metadata) ?? {};
  const errs = checkLabelMap(meta.labels, `${fld}.metadata.labels`);
  errs.push(...checkAnnotations(meta.annotations, `${fld}.metadata.annotations`));
  errs.push(...validatePodSpec(tpl.spec, `${fld}.spec`));
  return errs;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateAnnotations: keys are qualified names, total size at most 256 KiB. */
export function checkAnnotations(annotations: unknown, fld: string): FieldError[] {
  const a = asObj(annotations);
  if (!a) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(a)) {
    errs.push(...checkQualifiedName(fld, k.toLowerCase()));
    size += k.length + asString(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push({ type: 'TooLong', field: fld, detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  return errs;
}

const UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate's spec rules: only images, activeDeadlineSeconds, added tolerations may change. */
export function validatePodSpecUpdate(newSpecIn: unknown, oldSpecIn: unknown, fld: string): FieldError[] {
  const newSpec = asObj(newSpecIn) ?? {};
  const oldSpec = asObj(oldSpecIn) ?? {};
  const errs: FieldError[] = [];
  const newAds = newSpec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (typeof oldAds === 'number') {
    if (typeof newAds !== 'number') errs.push(invalid(`${fld}.activeDeadlineSeconds`, null, 'must not update from a positive integer to nil value'));
    else if (newAds > oldAds) errs.push(invalid(`${fld}.activeDeadlineSeconds`, newAds, 'must be less than or equal to previous value'));
  }
  const oldTol = asArray(oldSpec.tolerations).map((t) => JSON.stringify(t));
  const newTol = new Set(asArray(newSpec.tolerations).map((t) => JSON.stringify(t)));
  for (const t of oldTol) {
    if (!newTol.has(t)) {
      errs.push(forbidden(`${fld}.tolerations`, 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  const oldGateNames = new Set(asArray(oldSpec.schedulingGates).map((g) => asObj(g)?.name));
  for (const g of asArray(newSpec.schedulingGates)) {
    const name = asObj(g)?.name;
    if (!oldGateNames.has(name)) {
      errs.push(forbidden(`${fld}.schedulingGates`, `only deletion is allowed, but found new scheduling gate '${String(name)}'`));
      break;
    }
  }
  // Compare everything else with the mutable fields copied over from the old spec.
  const mutable = (s: Obj, from: Obj): Obj => {
    const c: Obj = { ...s, activeDeadlineSeconds: from.activeDeadlineSeconds, tolerations: from.tolerations };
    for (const list of ['containers', 'initContainers'] as const) {
      if (!Array.isArray(s[list])) continue;
      const oldList = asArray(from[list]);
      c[list] = asArray(s[list]).map((ct, i) => ({ ...(asObj(ct) ?? {}), image: asObj(oldList[i])?.image }));
    }
    // Scheduling gates may only be removed; while a pod is gated its scheduling directives may change
    // (upstream's relaxed validation for pod scheduling readiness).
    const oldGates = asArray(from.schedulingGates);
    if (oldGates.length > 0) {
      c.schedulingGates = from.schedulingGates;
      c.nodeSelector = from.nodeSelector;
      c.affinity = from.affinity;
    }
    if (typeof from.terminationGracePeriodSeconds === 'number' && from.terminationGracePeriodSeconds < 0 && s.terminationGracePeriodSeconds === 1) {
      c.terminationGracePeriodSeconds = from.terminationGracePeriodSeconds;
    }
    return c;
  };
  if (!deepEqual(mutable(newSpec, oldSpec), oldSpec)) errs.push(forbidden(fld, UPDATE_FORBIDDEN));
  return errs;
}

/** Structural equality of JSON values, treating absent and undefined alike. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ao = a as Obj;
  const bo = b as Obj;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}
