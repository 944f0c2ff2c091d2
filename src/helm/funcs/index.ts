/**
 * Sprig + helm template function library and helm's render loop for `skiff helm`.
 *
 * Typical use by the chart renderer:
 *   const out = renderTemplates({
 *     'mychart/templates/deploy.yaml': { template: src, values: top, basePath: 'mychart/templates' },
 *     'mychart/charts/sub/templates/svc.yaml': { template: src2, values: subTop, basePath: 'mychart/charts/sub/templates' },
 *   }, { strict: false, lintMode: false, lookup });
 * where `top` is the per-chart object helm builds: { Values, Chart, Release, Capabilities,
 * Files, Subcharts? }. Value model (see ../engine/values.ts): numbers from YAML/JSON are JS
 * numbers (float64), --set integers are bigint (int64), maps are plain objects, lists arrays.
 * Go structs should be class instances: capitalised fields are fields, function properties are
 * methods (`.Files.Get "x"`, `.Capabilities.APIVersions.Has "v"`), `String()` is used for
 * printing (e.g. KubeVersion prints "v1.20.0") and `toJSON()` for toYaml/toJson (helm's
 * chart.Metadata marshals with lowercase keys). Plain-object function values are called only
 * when given arguments.
 *
 * Exports:
 *   renderTemplates(tpls, opts?) -> Record<name, string>; throws HelmRenderError (message is
 *     helm's text, e.g. "execution error at (mychart/templates/a.yaml:2:8): msg",
 *     "parse error at (mychart/templates/a.yaml:2): function \"x\" not defined").
 *   helmFuncs(ctx?) -> FuncMap: every Sprig v3 function helm exposes plus helm's own.
 *   renderNameTemplate(text) -> string: --name-template (Sprig funcs incl. env, nil data).
 *   sprigFuncs(), sortTemplates(names), marshalYaml(v) (sigs.k8s.io/yaml.Marshal, keeps the
 *     final newline; toYaml trims it), marshalYamlPretty, marshalJson(v, indent?), parseJson,
 *   yamlToGo(text) (sigs.k8s.io/yaml.Unmarshal into interface{}; throws
 *     "error converting YAML to JSON: yaml: line N: ..." like helm), toToml,
 *   parseVersion/parseConstraint/compareVersions (Masterminds semver v3), GoTime, Certificate.
 */
export { helmFuncs, sprigFuncs, yamlToGo, WARN_START, WARN_END, type HelmFuncContext, type LookupFn } from './helm.js';
export { renderTemplates, renderNameTemplate, sortTemplates, HelmRenderError, type Renderable, type RenderOptions } from './render.js';
export { marshalYaml, naturalLess } from './yaml-emit.js';
export { marshalYamlPretty } from './yaml-pretty.js';
export { marshalJson, parseJson, toJsonValue } from './json.js';
export { parseVersion, parseConstraint, compareVersions, SemverVersion } from './semver.js';
export { GoTime, formatTime, parseTime, durationString } from './dates.js';
export { Certificate } from './crypto.js';
export { toToml, fromToml } from './toml.js';
