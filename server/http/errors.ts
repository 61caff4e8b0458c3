import type { ApiErrorBody } from '../../src/protocol/api';

/** A failure with its HTTP status and stable error code; the dispatcher turns it into an ApiErrorBody reply. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const notFound = (message = 'Not found.') => new HttpError(404, 'NOT_FOUND', message);
export const unprocessable = (code: string, message: string) => new HttpError(422, code, message);
