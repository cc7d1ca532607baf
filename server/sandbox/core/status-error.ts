// Failures answered as metav1.Status, worded as the real API server words them, because
// kubectl prints the message verbatim ("Error from server (NotFound): pods "x" not found").

export interface StatusCause {
  reason: string;
  message: string;
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

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** The resource a message names: `pods` or `deployments.apps`. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

function qualified(target: QualifiedResource): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}

function detailsFor(target: QualifiedResource, name: string): StatusDetails {
  const details: StatusDetails = { name };
  if (target.group !== '') details.group = target.group;
  details.kind = target.resource;
  return details;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }

  static notFound(target: QualifiedResource, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${qualified(target)} "${name}" not found`, detailsFor(target, name));
  }

  static alreadyExists(target: QualifiedResource, name: string): StatusError {
    return new StatusError(409, 'AlreadyExists', `${qualified(target)} "${name}" already exists`, detailsFor(target, name));
  }

  static conflict(target: QualifiedResource, name: string, why: string): StatusError {
    return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(target)} "${name}": ${why}`, detailsFor(target, name));
  }

  static modified(target: QualifiedResource, name: string): StatusError {
    return StatusError.conflict(target, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }

  /** 422 Invalid: `Pod "x" is invalid: field: message` (several causes are listed in brackets). */
  static invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
    const parts = causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message));
    const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    const details: StatusDetails = { name, group, kind, causes };
    if (group === '') delete details.group;
    return new StatusError(422, 'Invalid', `${kind}${group === '' ? '' : `.${group}`} "${name}" is invalid: ${summary}`, details);
  }

  static forbidden(target: QualifiedResource, name: string, why: string): StatusError {
    const subject = name === '' ? qualified(target) : `${qualified(target)} "${name}"`;
    return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, detailsFor(target, name));
  }

  static badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  }

  static methodNotAllowed(message = 'the server does not allow this method on the requested resource'): StatusError {
    return new StatusError(405, 'MethodNotAllowed', message);
  }

  static unsupportedMediaType(message: string): StatusError {
    return new StatusError(415, 'UnsupportedMediaType', message);
  }

  static notAcceptable(message: string): StatusError {
    return new StatusError(406, 'NotAcceptable', message);
  }

  static gone(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  }

  static tooLarge(limit: number): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  }

  static unauthorized(): StatusError {
    return new StatusError(401, 'Unauthorized', 'Unauthorized');
  }

  static pathNotFound(): StatusError {
    return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  }

  static internal(message: string): StatusError {
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);
  }
}
