/** The evidence an incident gathered, what a cause rule looks at. */
export interface IncidentEvidence {
  failure: string;
  backend: string;
  items: number;
  clients: number;
  kinds: Record<string, number>;
}

/** One rule: does it explain this evidence, and in what words. The first rule that matches names the cause. */
interface CauseRule {
  matches(evidence: IncidentEvidence): boolean;
  cause(evidence: IncidentEvidence): string;
}

const status = (evidence: IncidentEvidence) => /^HTTP (\d{3})$/.exec(evidence.failure)?.[1];
const manyClients = (evidence: IncidentEvidence) => evidence.clients >= 2;

const RULES: readonly CauseRule[] = [
  {
    matches: (e) => e.failure === 'HTTP 5xx',
    cause: (e) => (manyClients(e) ? `Server-side failure of ${e.backend}: several clients got 5xx answers in the same period (outage, bad deploy or an overloaded dependency).` : `Server errors (5xx) from ${e.backend} for one client: look at the server log for that student's requests.`),
  },
  {
    matches: (e) => e.failure === 'HTTP 429',
    cause: (e) => `Rate limiting: ${e.backend} answered 429 (too many requests).`,
  },
  {
    matches: (e) => e.failure === 'HTTP 401' || e.failure === 'HTTP 403',
    cause: () => 'Sign-in: the session had expired or lacked the permission when the work was replayed.',
  },
  {
    matches: (e) => e.failure === 'HTTP 409',
    cause: (e) => `Conflict: ${e.backend} refused the request because the server's data changed meanwhile (409).`,
  },
  {
    matches: (e) => status(e)?.startsWith('4') === true,
    cause: (e) => `Rejected as invalid by ${e.backend} (${e.failure}): the request no longer fits what the server accepts — changed content (e.g. an exercise removed) or a client and server of different versions.`,
  },
  {
    matches: (e) => e.failure === 'NETWORK' || e.failure === 'TIMEOUT' || e.failure === 'CIRCUIT_OPEN',
    cause: (e) => (manyClients(e) ? `The server was unreachable or too slow for several clients at once (${e.failure}): an outage or a network problem between them and the server.` : `This client's connection (${e.failure}): the server answered others meanwhile as far as these reports show.`),
  },
  {
    matches: (e) => e.failure === 'RETENTION_EXPIRED',
    cause: () => 'Work waited on the device longer than the outbox keeps it (offline for a long time).',
  },
  {
    matches: (e) => e.failure === 'CHECKPOINT_INVALID',
    cause: () => 'Saved progress on the device could not be read back: storage corruption or a checkpoint written by an incompatible app version.',
  },
  {
    matches: (e) => e.failure === 'QUARANTINED',
    cause: () => 'Records in the device outbox failed validation: written by another app version, or damaged storage.',
  },
];

/** A likely cause in one sentence, from the evidence only; an unknown failure says so rather than guess. */
export function likelyCause(evidence: IncidentEvidence): string {
  const rule = RULES.find((candidate) => candidate.matches(evidence));
  return rule ? rule.cause(evidence) : `Unclassified failure ${evidence.failure} at ${evidence.backend}: no rule explains it yet.`;
}
