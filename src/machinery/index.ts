/**
 * apimachinery for Skiff: the pure functions every other part of the API server uses, each with
 * upstream's (k8s.io/apimachinery, k8s.io/apiserver) semantics and exact error texts.
 *
 * | file | job |
 * | --- | --- |
 * | errors.ts | StatusError (the Status upstream sends), FieldError and FieldPath, `invalid()` & co. |
 * | names.ts, object-meta.ts | name/label/annotation/port/IP validators returning upstream's messages; ObjectMeta create/update validation; generateName suffixes |
 * | labels.ts, label-parser.ts | label selector grammar (`a=b,c in (d),!e`), metav1.LabelSelector conversion, matching, canonical string |
 * | fields.ts | field selectors (`metadata.name=x,status.phase!=Running`) with upstream escaping |
 * | quantity.ts | resource.Quantity: exact parsing, canonical form ("1.5Gi" -> "1536Mi"), compare, arithmetic |
 * | patch.ts | JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386), hostile-input safe |
 * | resource-version.ts | resourceVersion parsing, continue tokens, ListOptions validation, 410/504 errors |
 * | duration.ts | RFC 3339 timestamps as metav1.Time prints them, kubectl ages, Go durations |
 * | yaml-json.ts | request body decoding (JSON or YAML 1.1) with strict-decoding info and size/depth limits |
 *
 * Inputs are untrusted strings and decoded JSON; every failure is a StatusError, never a crash.
 * Nothing here does I/O or keeps state.
 */
export * from './errors.js';
export * from './names.js';
export * from './labels.js';
export * from './fields.js';
export * from './quantity.js';
export * from './patch.js';
export * from './resource-version.js';
export * from './duration.js';
export * from './yaml-json.js';
