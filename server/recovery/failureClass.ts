import type { StoredIntervention } from '../db/interventionStore';

/** What an item says about where and how the work failed, in the words an incident is grouped by. */
export interface FailureClass {
  /** e.g. "HTTP 5xx", "HTTP 422", "NETWORK", "CHECKPOINT_INVALID". */
  failure: string;
  /** e.g. "POST /api/answers", "op lessons.load", "device storage (checkpoints)". */
  backend: string;
}

/** The request line of a redacted preview ("POST /api/answers {…}"), its path cut to two segments (no ids). */
function requestOf(preview: string | undefined): string | undefined {
  const match = /^([A-Z]+) (\/[^\s?{]*)/.exec(preview ?? '');
  if (!match) return undefined;
  const segments = (match[2] ?? '').split('/').filter(Boolean).slice(0, 2);
  return `${match[1]} /${segments.join('/')}`;
}

function backendOf(item: StoredIntervention): string {
  switch (item.kind) {
    case 'checkpointCorrupt':
      return 'device storage (checkpoints)';
    case 'quarantined':
      return 'device storage (outbox)';
    case 'recoveryFailed':
      return item.links.op ? `op ${item.links.op}` : 'unknown operation';
    default:
      return requestOf(item.preview) ?? 'unknown request';
  }
}

function failureOf(item: StoredIntervention): string {
  const error = item.lastError;
  if (item.kind === 'outboxRetention') return 'RETENTION_EXPIRED';
  if (error?.status !== undefined) return error.status >= 500 ? 'HTTP 5xx' : `HTTP ${error.status}`;
  if (error?.code === 'HTTP_5XX') return 'HTTP 5xx';
  return error?.code ?? item.reasonCode;
}

/** Classifies one reported item; pure (the dashboard and its tests use it). */
export function classifyFailure(item: StoredIntervention): FailureClass {
  return { failure: failureOf(item), backend: backendOf(item) };
}
