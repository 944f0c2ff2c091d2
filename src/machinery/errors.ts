/**
 * Kubernetes Status errors. Every failure the API server reports is a StatusError carrying the
 * Status object upstream would send: reason, code, message and (for Invalid) field causes.
 */

/** Status reasons (metav1.StatusReason) and the HTTP code each maps to. */
export const StatusReasons = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;
export type StatusReason = keyof typeof StatusReasons;

/** Field error types (field.ErrorType) with the cause reason upstream reports for each. */
export const FieldErrorTypes = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Forbidden: 'FieldValueForbidden',
  NotFound: 'FieldValueNotFound',
  TypeInvalid: 'FieldValueTypeInvalid',
  Internal: 'InternalError',
} as const;
export type FieldErrorType = keyof typeof FieldErrorTypes;

/** One validation problem at a field path such as `spec.template.spec.containers[0].image`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, when there is one worth showing (upstream prints it quoted). */
  value?: unknown;
  detail?: string;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly status: Status;
  constructor(reason: StatusReason, message: string, details?: StatusDetails, code?: number) {
    super(message);
    this.name = 'StatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code: code ?? StatusReasons[reason],
    };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason as StatusReason;
  }
}

/** A resource as errors name it: `pods` (core) or `deployments.apps`. */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function notFound(r: ResourceRef, name: string): StatusError {
  return new StatusError('NotFound', `${qualified(r)} "${name}" not found`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.resource,
  });
}

export function alreadyExists(r: ResourceRef, name: string): StatusError {
  return new StatusError('AlreadyExists', `${qualified(r)} "${name}" already exists`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.resource,
  });
}

export function conflict(r: ResourceRef, name: string, why: string): StatusError {
  return new StatusError('Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.resource,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

export function expired(message: string): StatusError {
  return new StatusError('Expired', message);
}

export function internalError(message: string): StatusError {
  return new StatusError('InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** Renders a value as upstream's field errors do: strings quoted, others as JSON. */
function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    const s = JSON.stringify(v);
    return s && s.length > 200 ? `${s.slice(0, 200)}...` : (s ?? String(v));
  } catch {
    return String(v);
  }
}

/** The text of one field error, e.g. `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function fieldErrorMessage(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'Forbidden':
      return `${e.field}: Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooLong':
      return `${e.field}: Too long${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooMany':
      return `${e.field}: Too many${e.detail ? `: ${e.detail}` : ''}`;
    case 'Internal':
      return `${e.field}: Internal error${e.detail ? `: ${e.detail}` : ''}`;
    case 'NotSupported':
      return `${e.field}: Unsupported value: ${showValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'Duplicate':
      return `${e.field}: Duplicate value: ${showValue(e.value)}`;
    case 'NotFound':
      return `${e.field}: Not found: ${showValue(e.value)}`;
    case 'TypeInvalid':
    case 'Invalid':
    default:
      return `${e.field}: Invalid value: ${showValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** 422 Invalid, listing every problem: `Deployment.apps "web" is invalid: [a, b]`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const msgs = errors.map(fieldErrorMessage);
  const subject = group ? `${kind}.${group} "${name}"` : `${kind} "${name}"`;
  const list = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  return new StatusError('Invalid', `${subject} is invalid: ${list}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: errors.map((e) => ({ reason: FieldErrorTypes[e.type], message: fieldErrorMessage(e).slice(e.field.length + 2), field: e.field })),
  });
}

/** Helper for building field paths: `path('spec').child('containers').index(0).child('image')`. */
export class FieldPath {
  constructor(readonly text: string) {}
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}
export const path = (root = ''): FieldPath => new FieldPath(root);
