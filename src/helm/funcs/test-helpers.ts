/** Test helper: execute one template with helm's function map (missingkey=zero as helm). */
import { TemplateSet } from './engine.js';
import { helmFuncs } from './helm.js';

export function tpl(src: string, data: unknown = {}): string {
  const t = new TemplateSet({ missingKey: 'zero', funcs: helmFuncs({ log: () => undefined }) });
  t.parse('t', src);
  return t.execute('t', data).replaceAll('<no value>', '');
}

export function tplError(src: string, data: unknown = {}): string {
  try { tpl(src, data); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}
