import type { SentryEnvelope } from '../../src/protocol/dev';
import { readBody } from '../http/body';
import { badRequest } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';
import { parseEnvelope } from './envelope';

const MAX_ENVELOPE_BYTES = 1024 * 1024;
const KEPT_ENVELOPES = 500;

/** The Sentry SDK posts cross-origin when the DSN names another origin, and may preflight. */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-Sentry-Auth',
  'Access-Control-Max-Age': '600',
};

/** Envelope endpoint path of a Sentry DSN `http://key@host:port/<projectId>`. */
export const ENVELOPE_PATH = /^\/api\/(\d+)\/envelope\/?$/;

/**
 * A local stand-in for Sentry's ingestion endpoint: keeps the last envelopes in memory so telemetry can be
 * inspected (GET /__sentry) without a Sentry account.
 */
export function createSentrySink() {
  const envelopes: SentryEnvelope[] = [];
  const routes: Route[] = [
    { method: 'OPTIONS', path: ENVELOPE_PATH, handle: () => ({ status: 204, body: Buffer.alloc(0), headers: CORS }) },
    {
      method: 'POST',
      path: ENVELOPE_PATH,
      async handle({ req }) {
        const envelope = parseEnvelope(await readBody(req, MAX_ENVELOPE_BYTES));
        if (!envelope) throw badRequest('INVALID_ENVELOPE', 'The body is not a Sentry envelope.');
        envelopes.push(envelope);
        if (envelopes.length > KEPT_ENVELOPES) envelopes.splice(0, envelopes.length - KEPT_ENVELOPES);
        return json(200, {}, CORS);
      },
    },
  ];
  return {
    routes,
    list: (): SentryEnvelope[] => [...envelopes],
    clear: (): void => {
      envelopes.length = 0;
    },
  };
}

export type SentrySink = ReturnType<typeof createSentrySink>;
