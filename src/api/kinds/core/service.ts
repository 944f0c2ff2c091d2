/**
 * core/v1 Service: SetDefaults_Service (type ClusterIP, sessionAffinity None, port protocol TCP,
 * targetPort = port, traffic policies) plus the IP-family fields the service REST fills in
 * (single-stack IPv4 here), ValidateService / ValidateServiceUpdate (ports, type, selector,
 * clusterIP immutable) and the service field selectors. ClusterIP and nodePort allocation live in
 * the registry.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { isDNS1035Label, isDNS1123Label, isValidIP } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource, selectable } from './core-resource.js';
import {
  asArray, asObj, asString, checkDNSLabel, checkDNSSubdomain, checkEnum, checkLabelMap, checkPortNum, checkQualifiedName,
  forbidden, invalid, portNameErrors, required, type Obj,
} from './validation-helpers.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const specOf = (obj: KubeObject): Obj => asObj(obj.spec) ?? {};
const externallyAccessible = (spec: Obj): boolean =>
  spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);

function defaults(obj: KubeObject): void {
  const spec = asObj(obj.spec) ?? (obj.spec = {} as Obj);
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = asObj(spec.sessionAffinityConfig);
    const clientIP = asObj(cfg?.clientIP);
    if (!clientIP || clientIP.timeoutSeconds === undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const raw of asArray(spec.ports)) {
    const p = asObj(raw);
    if (!p) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(asString(spec.type))) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  // status.loadBalancer is a struct upstream: always serialised.
  const status = asObj(obj.status) ?? (obj.status = {} as Obj);
  if (!asObj(status.loadBalancer)) status.loadBalancer = {};
  if (spec.type !== 'ExternalName') {
    // As the service REST's initIPFamilyFields on a single-stack IPv4 cluster: headless services
    // without a selector are RequireDualStack, everything else SingleStack.
    const headlessNoSelector = spec.clusterIP === 'None' && Object.keys(asObj(spec.selector) ?? {}).length === 0;
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
    if (asArray(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
  }
}

function validatePorts(spec: Obj, headless: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ports = asArray(spec.ports);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((raw, i) => {
    const p = asObj(raw) ?? {};
    const f = `spec.ports[${i}]`;
    const name = asString(p.name);
    if (ports.length > 1 && !name) errs.push(required(`${f}.name`));
    if (name) {
      errs.push(...checkDNSLabel(`${f}.name`, name));
      if (names.has(name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: name });
      names.add(name);
    }
    errs.push(...checkPortNum(`${f}.port`, p.port));
    if (!p.protocol) errs.push(required(`${f}.protocol`));
    else errs.push(...checkEnum(`${f}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number') errs.push(...checkPortNum(`${f}.targetPort`, p.targetPort));
    else if (typeof p.targetPort === 'string') for (const m of portNameErrors(p.targetPort)) errs.push(invalid(`${f}.targetPort`, p.targetPort, m));
    if (p.appProtocol !== undefined) errs.push(...checkQualifiedName(`${f}.appProtocol`, asString(p.appProtocol)));
    const key = `${String(p.port)}/${String(p.protocol)}`;
    if (seen.has(key)) errs.push({ type: 'Duplicate', field: f, value: { protocol: p.protocol, port: p.port } });
    seen.add(key);
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
        errs.push(forbidden(`${f}.nodePort`, `may not be used when \`type\` is '${String(spec.type)}'`));
      } else {
        errs.push(...checkPortNum(`${f}.nodePort`, p.nodePort));
        const nk = `${p.nodePort}/${String(p.protocol)}`;
        if (nodePorts.has(nk)) errs.push({ type: 'Duplicate', field: `${f}.nodePort`, value: p.nodePort });
        nodePorts.add(nk);
      }
    }
  });
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const name = asString(obj.metadata?.name);
  // Service names are DNS-1035 labels; the metadata check covers DNS-1123 labels, this adds the rest.
  if (name && isDNS1123Label(name).length === 0) for (const m of isDNS1035Label(name)) errs.push(invalid('metadata.name', name, m));
  const headless = spec.clusterIP === 'None';
  if (spec.type === undefined || spec.type === '') errs.push(required('spec.type'));
  else errs.push(...checkEnum('spec.type', spec.type, TYPES));
  errs.push(...validatePorts(spec, headless));
  if (spec.type === 'ExternalName') {
    const ext = asString(spec.externalName).replace(/\.$/, '');
    if (!ext) errs.push(required('spec.externalName'));
    else errs.push(...checkDNSSubdomain('spec.externalName', ext));
    if (asString(spec.clusterIP) !== '') errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  }
  errs.push(...checkLabelMap(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else errs.push(...checkEnum('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  const timeout = asObj(asObj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
  if (typeof timeout === 'number' && (timeout <= 0 || timeout > 86400)) {
    errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  const ips = asArray(spec.clusterIPs).length > 0 ? asArray(spec.clusterIPs) : spec.clusterIP ? [spec.clusterIP] : [];
  ips.forEach((ip, i) => {
    const s = asString(ip);
    if (s === 'None' && i === 0) return;
    if (isValidIP(s).length > 0) errs.push(invalid(`spec.clusterIPs[${i}]`, s, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (spec.clusterIP && asArray(spec.clusterIPs).length > 0 && asArray(spec.clusterIPs)[0] !== spec.clusterIP) {
    errs.push(invalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') {
    if (!externallyAccessible(spec)) {
      errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    } else errs.push(...checkEnum('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.internalTrafficPolicy !== undefined) errs.push(...checkEnum('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  if (spec.ipFamilyPolicy !== undefined) {
    errs.push(...checkEnum('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  asArray(spec.ipFamilies).forEach((fam, i) => errs.push(...checkEnum(`spec.ipFamilies[${i}]`, fam, ['IPv4', 'IPv6'])));
  asArray(spec.externalIPs).forEach((ip, i) => {
    for (const m of isValidIP(asString(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, ip, m));
  });
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = specOf(old);
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const oldIP = asString(oldSpec.clusterIP);
  const newIP = asString(spec.clusterIP);
  if (oldIP && newIP && oldIP !== newIP) {
    return [invalid('spec.clusterIPs[0]', asArray(spec.clusterIPs).length > 0 ? spec.clusterIPs : [newIP], 'may not change once set')];
  }
  return [];
}

function validateStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ingress = asArray(asObj(asObj(obj.status)?.loadBalancer)?.ingress);
  ingress.forEach((raw, i) => {
    const ip = asString(asObj(raw)?.ip);
    if (ip) for (const m of isValidIP(ip)) errs.push(invalid(`status.loadBalancer.ingress[${i}].ip`, ip, m));
  });
  return errs;
}

export const service: KindDefinition = {
  resource: coreResource('Service', {
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status', 'proxy'],
  }),
  model: 'V1Service',
  nameRule: 'label',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: false,
  fieldSelectors: {
    'spec.clusterIP': (o) => selectable(o, 'spec', 'clusterIP'),
    'spec.type': (o) => selectable(o, 'spec', 'type'),
  },
};
