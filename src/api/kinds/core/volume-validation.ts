/**
 * Validation of pod volumes (upstream ValidateVolumes): names are unique DNS labels and each volume
 * has exactly one source, with the common sources' required fields checked. The list of sources is
 * derived from the V1Volume schema (every field but `name`). Returns the volume names for mounts.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { schemaFor } from '../../schema.js';
import { asArray, asObj, asString, checkDNSLabel, checkDNSSubdomain, configMapKeyErrors, forbidden, invalid, required, type Obj } from './validation-helpers.js';

let sourceNames: string[] | undefined;
function volumeSources(): string[] {
  sourceNames ??= Object.keys(schemaFor('V1Volume').properties).filter((k) => k !== 'name');
  return sourceNames;
}

export function validateVolumes(list: unknown, fld: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const v = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const name = asString(v.name);
    if (!name) errors.push(required(`${f}.name`));
    else {
      errors.push(...checkDNSLabel(`${f}.name`, name));
      if (names.has(name)) errors.push({ type: 'Duplicate', field: `${f}.name`, value: name });
      names.add(name);
    }
    const set = volumeSources().filter((s) => v[s] !== undefined && v[s] !== null);
    if (set.length === 0) errors.push(required(f, 'must specify a volume type'));
    for (const extra of set.slice(1)) errors.push(forbidden(`${f}.${extra}`, 'may not specify more than 1 volume type'));
    if (set.length >= 1) errors.push(...validateSource(set[0], asObj(v[set[0]]) ?? {}, `${f}.${set[0]}`));
  });
  return { errors, names };
}

function validateItems(items: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(items).forEach((raw, i) => {
    const it = asObj(raw) ?? {};
    const key = asString(it.key);
    if (!key) errs.push(required(`${fld}[${i}].key`));
    else for (const m of configMapKeyErrors(key)) errs.push(invalid(`${fld}[${i}].key`, key, m));
    const p = asString(it.path);
    if (!p) errs.push(required(`${fld}[${i}].path`));
    else if (p.startsWith('/')) errs.push(invalid(`${fld}[${i}].path`, p, 'must be a relative path'));
    else if (p.split('/').includes('..')) errs.push(invalid(`${fld}[${i}].path`, p, "must not contain '..'"));
  });
  return errs;
}

function checkMode(fld: string, mode: unknown): FieldError[] {
  if (typeof mode !== 'number') return [];
  return mode < 0 || mode > 0o777 ? [invalid(fld, mode, 'must be a number between 0 and 0777 (octal), both inclusive')] : [];
}

function validateSource(kind: string, s: Obj, fld: string): FieldError[] {
  switch (kind) {
    case 'hostPath': {
      const errs = asString(s.path) ? [] : [required(`${fld}.path`)];
      const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
      if (s.type !== undefined && !types.includes(asString(s.type))) {
        errs.push({ type: 'NotSupported', field: `${fld}.type`, value: s.type, detail: `supported values: ${types.map((t) => JSON.stringify(t)).join(', ')}` });
      }
      return errs;
    }
    case 'configMap':
      return [
        ...(asString(s.name) ? checkDNSSubdomain(`${fld}.name`, asString(s.name)) : [required(`${fld}.name`)]),
        ...validateItems(s.items, `${fld}.items`),
        ...checkMode(`${fld}.defaultMode`, s.defaultMode),
      ];
    case 'secret':
      return [
        ...(asString(s.secretName) ? checkDNSSubdomain(`${fld}.secretName`, asString(s.secretName)) : [required(`${fld}.secretName`)]),
        ...validateItems(s.items, `${fld}.items`),
        ...checkMode(`${fld}.defaultMode`, s.defaultMode),
      ];
    case 'persistentVolumeClaim':
      return asString(s.claimName) ? [] : [required(`${fld}.claimName`)];
    case 'nfs':
      return [...(asString(s.server) ? [] : [required(`${fld}.server`)]), ...(asString(s.path) ? [] : [required(`${fld}.path`)])];
    case 'emptyDir': {
      const medium = s.medium;
      if (medium === undefined || medium === '' || medium === 'Memory' || (typeof medium === 'string' && medium.startsWith('HugePages'))) return [];
      return [{ type: 'NotSupported', field: `${fld}.medium`, value: medium, detail: 'supported values: "", "Memory", "HugePages"' }];
    }
    case 'projected':
      return checkMode(`${fld}.defaultMode`, s.defaultMode);
    case 'downwardAPI':
      return checkMode(`${fld}.defaultMode`, s.defaultMode);
    case 'csi':
      return asString(s.driver) ? [] : [required(`${fld}.driver`)];
    case 'image':
      return [];
    default:
      return [];
  }
}
