import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpChaos } from '../../src/protocol/dev';
import { TUTOR_SOCKET_PATH } from '../../src/protocol/socket';
import { decideFault, injectedFailure, type Blackhole, type HttpFault } from '../chaos/httpChaos';
import type { StaticFiles } from '../static/staticFiles';
import type { Counters } from '../stats';
import { HttpError, notFound } from './errors';
import { errorReply, writeReply, type Reply } from './reply';
import { matchRoute, type Route } from './router';
import { applySecurityHeaders } from './securityHeaders';

export interface DispatcherOptions {
  apiRoutes: readonly Route[];
  /** Dev endpoints (/__*) and the envelope sink; null when they are off (then they answer 404). */
  devRoutes: readonly Route[] | null;
  sinkRoutes: readonly Route[] | null;
  sinkPath: RegExp;
  /** The admin API (/admin/api/…); null when ADMIN_TOKEN is unset (then it answers 404). Never subject to chaos. */
  adminRoutes?: readonly Route[] | null;
  staticFiles: StaticFiles | null;
  /** Current HTTP chaos settings; null when chaos is off. */
  chaos: () => HttpChaos | null;
  blackhole: Blackhole;
  random: () => number;
  counters: Counters;
  /** Aborted when the server closes, so chaos delays do not outlive it. */
  lifetime: AbortSignal;
  onError: (error: unknown) => void;
}

/**
 * The served flags stand for a separate flag service (docs/operations.md, "Feature flags"): HTTP chaos and the
 * request counter leave them alone, so an operator's switch works while chaos breaks the API.
 */
const FLAGS_PATH = '/api/flags';

/** Marks a request whose connection was destroyed on purpose: nothing is written. */
const NO_RESPONSE = Symbol('no response');

/**
 * Every HTTP request goes through here: security headers, dev endpoints (never subject to chaos),
 * HTTP chaos faults, then API routes or the built app. Every failure becomes a JSON ApiErrorBody.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { counters } = options;

  async function runRoutes(routes: readonly Route[], req: IncomingMessage, res: ServerResponse, url: URL, chaosDelay: () => Promise<void>): Promise<Reply | null> {
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match) return null;
    if (!match.route.ownsLatency) await chaosDelay();
    return match.route.handle({ req, res, url, params: match.params, chaosDelay });
  }

  async function appRoute(req: IncomingMessage, res: ServerResponse, url: URL, chaosDelay: () => Promise<void>): Promise<Reply> {
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      const reply = await runRoutes(options.apiRoutes, req, res, url, chaosDelay);
      if (reply) return reply;
      await chaosDelay();
      throw notFound(`No API endpoint ${req.method ?? 'GET'} ${path}.`);
    }
    if (path === TUTOR_SOCKET_PATH) throw new HttpError(426, 'UPGRADE_REQUIRED', 'This endpoint speaks WebSocket only.', { Upgrade: 'websocket' });
    await chaosDelay();
    const method = req.method ?? 'GET';
    if ((method === 'GET' || method === 'HEAD') && options.staticFiles && !path.startsWith('/__')) {
      const file = await options.staticFiles(path);
      if (file) return file;
    }
    throw notFound();
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Reply | typeof NO_RESPONSE> {
    const path = url.pathname;
    const noDelay = () => Promise.resolve();
    if (path.startsWith('/__') && options.devRoutes) {
      const reply = await runRoutes(options.devRoutes, req, res, url, noDelay);
      if (reply) return reply;
    }
    if (options.sinkPath.test(path)) {
      if (!options.sinkRoutes) throw notFound();
      return (await runRoutes(options.sinkRoutes, req, res, url, noDelay)) ?? Promise.reject(notFound());
    }
    if (path.startsWith('/admin/api/')) {
      if (!options.adminRoutes) throw notFound();
      return (await runRoutes(options.adminRoutes, req, res, url, noDelay)) ?? Promise.reject(notFound());
    }
    const chaos = options.chaos();
    const fault: HttpFault = chaos && !path.startsWith('/__') && path !== FLAGS_PATH ? decideFault(chaos, path, options.random) : { kind: 'none' };
    if (fault.kind === 'fail') {
      counters.http.chaosFailures += 1;
      if (chaos && chaos.failNext > 0) chaos.failNext -= 1; // the live config: "fail the next N" counts down
      if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { signal: options.lifetime });
      throw injectedFailure(fault);
    }
    if (fault.kind === 'blackhole') {
      counters.http.chaosBlackholed += 1;
      if ((await options.blackhole.hold(req)) === 'gone') {
        req.socket.destroy();
        return NO_RESPONSE;
      }
    }
    const latencyMs = fault.kind === 'pass' ? fault.latencyMs : 0;
    let delayed = false;
    const chaosDelay = async (): Promise<void> => {
      if (delayed || latencyMs === 0) return;
      delayed = true;
      await sleep(latencyMs, undefined, { signal: options.lifetime });
    };
    const reply = await appRoute(req, res, url, chaosDelay).catch(errorReply);
    if (fault.kind === 'pass' && fault.dropResponse) {
      counters.http.chaosDroppedResponses += 1;
      req.socket.destroy();
      return NO_RESPONSE;
    }
    return reply;
  }

  return async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!req.url?.startsWith(FLAGS_PATH)) counters.http.requests += 1;
    applySecurityHeaders(res);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const reply = await route(req, res, url);
      // A request cut short by shutdown gets no answer, as if the process had died: its client retries.
      if (options.lifetime.aborted) req.socket.destroy();
      else if (reply !== NO_RESPONSE) writeReply(res, reply);
    } catch (error) {
      if (options.lifetime.aborted) {
        req.socket.destroy();
        return;
      }
      if (!(error instanceof HttpError)) options.onError(error);
      writeReply(res, errorReply(error));
    }
  };
}
