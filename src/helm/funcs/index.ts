/**
 * Sprig + helm template function library and helm's render loop for `skiff helm`.
 *
 * Exports:
 *   helmFuncs(ctx?: HelmFuncContext): FuncMap — every Sprig v3 function helm exposes (no
 *     env/expandenv) plus toYaml/toYamlPretty/fromYaml/fromYamlArray/toJson/fromJson/
 *     fromJsonArray/toToml/required/fail/lookup/include/tpl (include/tpl need ctx callbacks).
 *   renderTemplates(tpls: Record<name, Renderable>, opts?: RenderOptions): Record<name, string>
 *     — helm's engine.Render loop over already-scoped values (see render.ts). Throws
 *     HelmRenderError with helm's message text.
 *   sortTemplates(names), marshalYaml(v) (sigs.k8s.io/yaml.Marshal), marshalJson(v, indent?),
 *   yamlToGo(text) (sigs.k8s.io/yaml.Unmarshal into interface{}), parseVersion/
 *   parseConstraint (Masterminds semver), GoTime, Certificate.
 */
export { helmFuncs, sprigFuncs, yamlToGo, WARN_START, WARN_END, type HelmFuncContext, type LookupFn } from './helm.js';
export { renderTemplates, sortTemplates, HelmRenderError, type Renderable, type RenderOptions } from './render.js';
export { marshalYaml, naturalLess } from './yaml-emit.js';
export { marshalYamlPretty } from './yaml-pretty.js';
export { marshalJson, parseJson, toJsonValue } from './json.js';
export { parseVersion, parseConstraint, compareVersions, SemverVersion } from './semver.js';
export { GoTime, formatTime, parseTime, durationString } from './dates.js';
export { Certificate } from './crypto.js';
export { toToml } from './toml.js';
