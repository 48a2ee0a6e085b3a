/** Every client-visible failure, with the HTTP status REST answers and the GraphQL code. */
export const ERROR_CATALOG = {
  BAD_USER_INPUT: { status: 400 },
  /** A missing or wrong credential on an operator surface (the gateway's admin API). */
  UNAUTHORIZED: { status: 401 },
  /** A signed-in caller asking for what another user owns, without the scope that allows it. */
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  METHOD_NOT_ALLOWED: { status: 405 },
  CONFLICT: { status: 409 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  /** A proxied backend gave no response (the gateway's REST shim). */
  BAD_GATEWAY: { status: 502 },
  SERVICE_UNAVAILABLE: { status: 503 },
  /** A proxied backend did not answer in time. */
  GATEWAY_TIMEOUT: { status: 504 },
  INTERNAL_SERVER_ERROR: { status: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The one error type domain code throws; entry points turn it into `{"error"}` or a GraphQL error. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = ERROR_CATALOG[code].status;
  }
}

export const badUserInput = (message: string) => new AppError('BAD_USER_INPUT', message);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
