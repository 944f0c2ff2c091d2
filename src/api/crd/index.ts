/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1): the CRD kind itself (definition.ts), the
 * kinds a CRD serves (custom-kind.ts) with schema-driven pruning/defaulting (structural.ts),
 * validation (schema-validate.ts) and OpenAPI (openapi.ts). The controller that registers the kinds
 * lives in src/registry/kinds/crd.ts.
 */
export { customResourceDefinition } from './definition.js';
export { customResourceKinds, customModelName, servedNames, jsonPathSegments } from './custom-kind.js';
export { validateAgainstSchema } from './schema-validate.js';
export { prune, applyDefaults } from './structural.js';
export { validateOpenAPISchema } from './validate-schema.js';
export { defaultCRD, validateCRD, validateCRDUpdate } from './validate-crd.js';
export * from './types.js';
