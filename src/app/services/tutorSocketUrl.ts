import { TUTOR_SOCKET_PATH } from '../../protocol/socket';

/** The ws(s):// address of the tutor socket for a session, next to the API at `baseUrl` (or this page). */
export function tutorSocketUrl(baseUrl: string, session: string): string {
  const url = new URL(TUTOR_SOCKET_PATH, baseUrl === '' ? globalThis.location.href : baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('session', session);
  return url.toString();
}
