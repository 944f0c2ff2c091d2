/** core/v1 Endpoints: port protocol TCP by default; addresses are IPs, ports valid and named when several. */
import type { FieldError } from '../../../machinery/errors.js';
import { isValidIP } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource } from './core-resource.js';
import { asArray, asObj, asString, checkDNSLabel, checkDNSSubdomain, checkEnum, checkPortNum, invalid, required } from './validation-helpers.js';

function defaults(obj: KubeObject): void {
  for (const ss of asArray(obj.subsets)) {
    for (const p of asArray(asObj(ss)?.ports)) {
      const port = asObj(p);
      if (port && !port.protocol) port.protocol = 'TCP';
    }
  }
}

function validateAddresses(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const a = asObj(raw) ?? {};
    const ip = asString(a.ip);
    for (const m of isValidIP(ip)) errs.push(invalid(`${fld}[${i}].ip`, ip, m));
    if (asString(a.hostname)) errs.push(...checkDNSLabel(`${fld}[${i}].hostname`, asString(a.hostname)));
    if (asString(a.nodeName)) errs.push(...checkDNSSubdomain(`${fld}[${i}].nodeName`, asString(a.nodeName)));
  });
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(obj.subsets).forEach((raw, i) => {
    const ss = asObj(raw) ?? {};
    const f = `subsets[${i}]`;
    errs.push(...validateAddresses(ss.addresses, `${f}.addresses`));
    errs.push(...validateAddresses(ss.notReadyAddresses, `${f}.notReadyAddresses`));
    const ports = asArray(ss.ports);
    ports.forEach((p, j) => {
      const port = asObj(p) ?? {};
      const pf = `${f}.ports[${j}]`;
      const name = asString(port.name);
      if (ports.length > 1 && !name) errs.push(required(`${pf}.name`));
      if (name) errs.push(...checkDNSLabel(`${pf}.name`, name));
      errs.push(...checkPortNum(`${pf}.port`, port.port));
      if (!port.protocol) errs.push(required(`${pf}.protocol`));
      else errs.push(...checkEnum(`${pf}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
    });
  });
  return errs;
}

export const endpoints: KindDefinition = {
  resource: { ...coreResource('Endpoints', { plural: 'endpoints', namespaced: true, shortNames: ['ep'] }), singular: 'endpoints' },
  model: 'V1Endpoints',
  defaults,
  validate,
  hasStatus: false,
  hasSpec: false,
};
