import type { IncomingMessage } from 'node:http';
import { IDEMPOTENCY_HEADER, STUDENT_HEADER } from '../../src/protocol/api';
import { badRequest } from './errors';

const STUDENT_ID = /^[a-z0-9._-]{1,64}$/;
/** UUIDs and similar opaque tokens; printable ASCII without spaces. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The student a request acts for (X-Student-Id): 400 when missing or not a 1–64 character slug. */
export function requireStudent(req: IncomingMessage): string {
  const student = header(req, STUDENT_HEADER);
  if (student === undefined || student === '') throw badRequest('MISSING_STUDENT', `The ${STUDENT_HEADER} header is required.`);
  if (!STUDENT_ID.test(student)) {
    throw badRequest('INVALID_STUDENT', `${STUDENT_HEADER} must be 1–64 characters of a-z, 0-9, ".", "_" or "-".`);
  }
  return student;
}

/** The Idempotency-Key: 400 when missing or not 1–128 printable characters. */
export function requireIdempotencyKey(req: IncomingMessage): string {
  const key = header(req, IDEMPOTENCY_HEADER);
  if (key === undefined || key === '') {
    throw badRequest('MISSING_IDEMPOTENCY_KEY', `The ${IDEMPOTENCY_HEADER} header is required for this request.`);
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('INVALID_IDEMPOTENCY_KEY', `${IDEMPOTENCY_HEADER} must be 1–128 printable ASCII characters without spaces.`);
  }
  return key;
}
