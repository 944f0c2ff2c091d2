/**
 * Template functions for the places the CLI renders outside a chart: `--name-template` is
 * parsed with Sprig's functions only (helm: sprig.TxtFuncMap()). Also installs the exact
 * go-yaml v2 emitter (src/helm/funcs) as the YAML marshaller for show/package/repo output.
 */
import { marshalYaml, sprigFuncs } from '../../helm/funcs/index.js';
import type { FuncMap } from '../../helm/engine/index.js';
import { useYamlMarshaller } from '../../helm/values/marshal.js';

useYamlMarshaller(marshalYaml);

export function nameTemplateFuncs(): FuncMap {
  return sprigFuncs();
}
