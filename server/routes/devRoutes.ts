import type { ChaosConfig, StatsResponse } from '../../src/protocol/dev';
import { mergeChaosConfig } from '../chaos/chaosConfig';
import type { AnswerStore } from '../db/answerStore';
import { readJson } from '../http/body';
import { json } from '../http/reply';
import type { Route } from '../http/router';
import type { SentrySink } from '../sentry/sentrySink';
import { loadDashboards } from '../sentry/dashboards';
import { renderDashboardPage } from '../sentry/dashboardPage';
import type { SocketHub } from '../socket/socketHub';
import type { Counters } from '../stats';

export interface DevRouteDeps {
  getChaos(): ChaosConfig;
  setChaos(config: ChaosConfig): void;
  resetChaos(): void;
  /** Wipes student data, counters, sessions and envelopes. */
  resetAll(): void;
  counters(): Counters;
  answers: AnswerStore;
  /** Idempotency keys reserved right now (requests being processed). */
  inFlightKeys(): number;
  hub: SocketHub;
  sentry: SentrySink;
  /** Ends every live sign-in session now; returns how many. */
  expireSessions(): number;
}

export function statsSnapshot(counters: Counters, answers: AnswerStore, inFlight: number, openSockets: number): StatsResponse {
  const applied = answers.list().map(({ key, student, lessonId, exerciseId, answer, correct, at }) => ({ key, student, lessonId, exerciseId, answer, correct, at }));
  return {
    answers: { ...counters.answers, inFlight },
    applied,
    appliedKeys: applied.map((answer) => answer.key),
    socket: { open: openSockets, ...counters.socket },
    tutor: { ...counters.tutor },
    http: { ...counters.http },
  };
}

/** Development endpoints; mounted only when chaos is enabled outside production. */
export function devRoutes(deps: DevRouteDeps): Route[] {
  return [
    { method: 'GET', path: /^\/__chaos$/, handle: () => json(200, deps.getChaos()) },
    {
      method: 'POST',
      path: /^\/__chaos$/,
      async handle({ req }) {
        deps.setChaos(mergeChaosConfig(deps.getChaos(), await readJson(req)));
        return json(200, deps.getChaos());
      },
    },
    {
      method: 'POST',
      path: /^\/__chaos\/reset$/,
      handle() {
        deps.resetChaos();
        return json(200, deps.getChaos());
      },
    },
    { method: 'POST', path: /^\/__chaos\/socket\/drop$/, handle: () => json(200, { dropped: deps.hub.dropAll() }) },
    {
      method: 'POST',
      path: /^\/__reset$/,
      handle() {
        deps.resetAll();
        return json(200, { ok: true });
      },
    },
    { method: 'GET', path: /^\/__stats$/, handle: () => json(200, statsSnapshot(deps.counters(), deps.answers, deps.inFlightKeys(), deps.hub.openCount)) },
    { method: 'POST', path: /^\/__sessions\/expire$/, handle: () => json(200, { expired: deps.expireSessions() }) },
    { method: 'GET', path: /^\/__sentry$/, handle: () => json(200, { envelopes: deps.sentry.list() }) },
    {
      method: 'GET',
      path: /^\/__sentry\/dashboard$/,
      handle: () => ({
        status: 200,
        body: Buffer.from(renderDashboardPage(loadDashboards(), deps.sentry.list(), Date.now())),
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      }),
    },
    {
      method: 'DELETE',
      path: /^\/__sentry$/,
      handle() {
        deps.sentry.clear();
        return json(200, { ok: true });
      },
    },
  ];
}
