/**
 * String formats custom resource schemas may declare (kube-openapi's strfmt registry as the
 * apiextensions validator uses it). Unknown formats are accepted, as upstream ignores them.
 */
import { isIP } from 'node:net';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const DURATION = /^(\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/;
const HEXCOLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

function validDate(s: string): boolean {
  return !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
}

/** Whether `value` is valid for the string `format`. */
export function checkFormat(format: string, value: string): boolean {
  switch (format) {
    case 'date-time':
    case 'datetime':
      return DATE_TIME.test(value) && validDate(value.replace(' ', 'T'));
    case 'date':
      return DATE.test(value) && validDate(value);
    case 'byte':
      return BASE64.test(value);
    case 'uuid':
    case 'uuid3':
    case 'uuid4':
    case 'uuid5':
      return UUID.test(value);
    case 'ipv4':
      return isIP(value) === 4;
    case 'ipv6':
      return isIP(value) === 6;
    case 'cidr': {
      const [ip, bits, extra] = value.split('/');
      const v = isIP(ip ?? '');
      return extra === undefined && v !== 0 && /^\d+$/.test(bits ?? '') && Number(bits) <= (v === 4 ? 32 : 128);
    }
    case 'hostname':
      return HOSTNAME.test(value);
    case 'email':
      return EMAIL.test(value);
    case 'mac':
      return MAC.test(value);
    case 'duration':
      return DURATION.test(value);
    case 'hexcolor':
      return HEXCOLOR.test(value);
    case 'uri':
      try {
        return new URL(value).protocol.length > 1;
      } catch {
        return false;
      }
    default:
      return true;
  }
}
