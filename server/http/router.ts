import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors';
import type { Reply } from './reply';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Captured groups of the route's path pattern. */
  params: readonly string[];
  /**
   * Waits out the chaos latency (once; later calls resolve at once). Routes with `ownsLatency` call it
   * themselves at the right moment, e.g. after reserving an idempotency key; the dispatcher calls it
   * for all other routes before the handler runs.
   */
  chaosDelay(): Promise<void>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  path: RegExp;
  ownsLatency?: boolean;
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}

export interface RouteMatch {
  route: Route;
  params: string[];
}

/** Finds the route for a request: null when no path matches, 405 (with Allow) when only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch | null {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params: match.slice(1) };
    allowed.push(route.method);
  }
  if (allowed.length === 0) return null;
  throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Use ${allowed.join(' or ')} for ${pathname}.`, { Allow: allowed.join(', ') });
}
