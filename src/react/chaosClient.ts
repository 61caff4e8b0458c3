/** The server's fault-injection endpoints (docs/operations.md "Development endpoints"), same origin. */
export type ChaosFetch = (url: string, init: RequestInit) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface ChaosAction {
  /** Button label. */
  readonly label: string;
  readonly path: string;
  readonly body?: unknown;
  /** What the result line says when the server accepted it. */
  readonly done: string;
}

export const CHAOS_ACTIONS: readonly ChaosAction[] = [
  { label: 'Fail API requests (503)', path: '/__chaos', body: { http: { failRate: 1, status: 503 } }, done: 'Every API request now fails with 503.' },
  { label: 'Add 2 s latency', path: '/__chaos', body: { http: { latencyMs: 2_000 } }, done: 'API requests are now delayed by 2 s.' },
  { label: 'Refuse sockets', path: '/__chaos', body: { socket: { refuse: true } }, done: 'New tutor sockets are now refused.' },
  { label: 'Drop sockets', path: '/__chaos/socket/drop', done: 'Open tutor sockets were dropped.' },
  { label: 'Clear chaos', path: '/__chaos/reset', done: 'Chaos cleared: the server behaves normally.' },
];

/** Sends one chaos action; resolves the line to show, never rejects (a dev tool reports, it does not crash). */
export async function sendChaos(fetchFn: ChaosFetch, baseUrl: string, action: ChaosAction): Promise<string> {
  try {
    const init: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
    if (action.body !== undefined) init.body = JSON.stringify(action.body);
    const response = await fetchFn(baseUrl + action.path, init);
    if (response.ok) return action.done;
    const text = await response.text().catch(() => '');
    return response.status === 404
      ? 'The server refused: chaos endpoints are off (start it with CHAOS=1, not in production).'
      : `The server refused (${response.status}): ${text.slice(0, 200)}`;
  } catch (error) {
    return `Could not reach the server: ${String((error as Error)?.message ?? error)}`;
  }
}
