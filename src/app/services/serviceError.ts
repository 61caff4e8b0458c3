/**
 * Failure of a service call, identified by a stable `code` (the same codes as the resilience runtime's
 * errors, DESIGN §4) so the UI can branch on the code and keep working when the runtime's own error
 * class replaces this one.
 */
export type ServiceErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'HTTP_5XX'
  | 'RATE_LIMITED'
  | 'HTTP_4XX'
  | 'AUTH'
  | 'CONFLICT'
  | 'SOCKET_CLOSED'
  | 'INVALID_RESPONSE'
  | 'UNKNOWN';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;
  readonly status: number | undefined;

  constructor(code: ServiceErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}

/** The error code for an HTTP status that is not a success. */
export function codeForStatus(status: number): ServiceErrorCode {
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500) return 'HTTP_5XX';
  return 'HTTP_4XX';
}
