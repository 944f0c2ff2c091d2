/**
 * The shape of one kind's definition: the ONE source per kind from which the API server derives
 * discovery, validation, defaulting, OpenAPI, tables and strategic-merge keys.
 *
 * Field types come from the upstream OpenAPI-generated models shipped in @kubernetes/client-node
 * (see schema.ts); each kind file under kinds/ adds what the models do not carry: upstream's
 * defaults, semantic validation, immutable fields and selectable fields.
 */
import type { FieldError } from '../machinery/errors.js';

/** A Kubernetes object as stored and served: plain JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  selfLink?: string;
  [field: string]: unknown;
}

export type Subresource = 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'ephemeralcontainers' | 'resize' | 'token' | 'approval' | 'finalize';

export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresource[];
}

export interface ScaleInfo {
  /** JSON path segments to spec.replicas, status.replicas and the status label selector (string). */
  specReplicas: string[];
  statusReplicas: string[];
  labelSelector?: string[];
}

export type NameRule = 'subdomain' | 'label' | 'path-segment';

export interface KindDefinition {
  resource: ResourceInfo;
  /** client-node model type name, e.g. `V1Deployment`: the source of field types and descriptions. */
  model: string;
  /** How metadata.name is validated (upstream's ValidateNameFunc): DNS-1123 subdomain by default. */
  nameRule?: NameRule;
  /** Upstream SetDefaults_*: mutates the object in place. Runs on create and update, before validation. */
  defaults?(obj: KubeObject): void;
  /** Upstream Validate<Kind> (spec and metadata beyond ObjectMeta basics). All problems, with field paths. */
  validate?(obj: KubeObject): FieldError[];
  /** Upstream Validate<Kind>Update: immutable fields and transitions. Runs in addition to validate. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Validation of the status subresource writes. */
  validateStatus?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Whether updates through the main resource keep status as stored (kinds with a status subresource). */
  hasStatus: boolean;
  /** Whether metadata.generation tracks spec changes (kinds with a spec). */
  hasSpec: boolean;
  /** Whether status given on create is kept (Node, Namespace, Event...); otherwise create clears it as upstream's PrepareForCreate does. */
  keepStatusOnCreate?: boolean;
  scale?: ScaleInfo;
  /** Selectable fields beyond metadata.name / metadata.namespace (upstream's field label conversion funcs). */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  /**
   * Decoding without a client-node model (custom resources): prunes unknown fields and applies
   * defaults in place; `errors` fail the request with 400, `unknownFields` feed fieldValidation.
   * When set, the strategy uses it instead of the model's type check.
   */
  checkTypes?(obj: KubeObject): { errors: FieldError[]; unknownFields: string[] };
  /** Metadata validation as for custom resources (upstream's ValidateObjectMeta for CRs: finalizer names only warned). */
  customResource?: boolean;
  /** OpenAPI v3 schema of the whole object (custom resources), served instead of the model's. */
  openAPISchema?: Record<string, unknown>;
  /** Server-side printing columns (CRD additionalPrinterColumns): name, type, format, description, priority, jsonPath. */
  printerColumns?: PrinterColumn[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}
