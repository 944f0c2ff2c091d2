/**
 * Validation of a write through pods/{name}/ephemeralcontainers, after upstream's
 * ValidatePodEphemeralContainersUpdate and validateEphemeralContainers
 * (pkg/apis/core/validation/validation.go).
 *
 * Input: the new pod (old pod with only spec.ephemeralContainers replaced, defaults applied) and the
 * old pod. Output: every problem, each with its field path. The rest of the pod is validated by the
 * Pod kind's own validate (names unique and present, volumes...), which the caller runs as well.
 */
import type { KubeObject } from '../../api/types.js';
import { validateContainerList } from '../../api/kinds/core/container-validation.js';
import { deepEqual } from '../../api/kinds/core/pod-validation.js';
import { asArray, asObj, asString, forbidden, type Obj } from '../../api/kinds/core/validation-helpers.js';
import type { FieldError } from '../../machinery/errors.js';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

const CANNOT_SET = 'cannot be set for an Ephemeral Container';

/**
 * Container fields an ephemeral container may not set (upstream's allowedEphemeralContainerFields
 * marks them false or leaves them out), in the Go struct's field order so errors come out as upstream's.
 */
const DISALLOWED_FIELDS = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const;

/** A JSON value equal to its Go type's zero value (absent, null, '', 0, false, or made only of those). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Obj).every(isZero);
  return false;
}

function volumeNames(spec: Obj): Set<string> {
  return new Set(asArray(spec.volumes).map((v) => asString(asObj(v)?.name)).filter(Boolean));
}

/**
 * validateEphemeralContainers: the container checks shared with other containers (name format, image,
 * pull and termination-message policies, env, mounts), the target must be a regular or init
 * container, the disallowed fields are unset and volume mounts use no subPath.
 * (Missing and duplicate names are the Pod kind's validation; not repeated here.)
 */
export function validateEphemeralContainers(specIn: unknown, fld = 'spec.ephemeralContainers'): FieldError[] {
  const spec = asObj(specIn) ?? {};
  const list = asArray(spec.ephemeralContainers);
  if (list.length === 0) return [];
  const errs: FieldError[] = [];
  // The checks of validateContainerCommon, on copies without the fields whose rules differ per container kind.
  const common = list.map((raw) => {
    const c = { ...(asObj(raw) ?? {}) };
    for (const k of DISALLOWED_FIELDS) delete c[k];
    return c;
  });
  const isNameField = (field: string) => field.startsWith(`${fld}[`) && /^\d+\]\.name$/.test(field.slice(fld.length + 1));
  for (const e of validateContainerList(common, fld, { volumeNames: volumeNames(spec), usedNames: new Set(), init: false })) {
    if ((e.type === 'Duplicate' || e.type === 'Required') && isNameField(e.field)) continue;
    errs.push(e);
  }
  const targets = new Set([...asArray(spec.containers), ...asArray(spec.initContainers)].map((c) => asString(asObj(c)?.name)));
  list.forEach((raw, i) => {
    const c = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const target = asString(c.targetContainerName);
    if (target && !targets.has(target)) errs.push({ type: 'NotFound', field: `${f}.targetContainerName`, value: target });
    for (const k of DISALLOWED_FIELDS) if (!isZero(c[k])) errs.push(forbidden(`${f}.${k}`, CANNOT_SET));
    asArray(c.volumeMounts).forEach((m, j) => {
      const mount = asObj(m) ?? {};
      if (asString(mount.subPath)) errs.push(forbidden(`${f}.volumeMounts[${j}].subPath`, CANNOT_SET));
      if (asString(mount.subPathExpr)) errs.push(forbidden(`${f}.volumeMounts[${j}].subPathExpr`, CANNOT_SET));
    });
  });
  return errs;
}

/** The fields that differ between two versions of one container, for the "may not be changed" text. */
function changedFields(a: Obj, b: Obj): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !deepEqual(a[k], b[k])).sort();
}

/**
 * ValidatePodEphemeralContainersUpdate: the new pod's ephemeral containers are valid, and every
 * ephemeral container of the old pod is still there, unchanged (matched by name: patches do not keep
 * order). Static (mirror) pods take no ephemeral containers at all.
 */
export function validateEphemeralContainersUpdate(newPod: KubeObject, oldPod: KubeObject): FieldError[] {
  if (oldPod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    return [forbidden('', 'static pods do not support ephemeral containers')];
  }
  const errs = validateEphemeralContainers(newPod.spec);
  const byName = new Map<string, Obj>();
  for (const raw of asArray(asObj(newPod.spec)?.ephemeralContainers)) {
    const c = asObj(raw);
    if (c) byName.set(asString(c.name), c);
  }
  for (const raw of asArray(asObj(oldPod.spec)?.ephemeralContainers)) {
    const old = asObj(raw) ?? {};
    const name = asString(old.name);
    const now = byName.get(name);
    if (!now) errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be removed\n`));
    else if (!deepEqual(old, now)) {
      errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be changed\nchanged fields: ${changedFields(old, now).join(', ')}`));
    }
  }
  return errs;
}
