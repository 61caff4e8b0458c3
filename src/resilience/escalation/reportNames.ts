/** Names of the intervention reports the runtime sends through the outbox (a module of its own: the outbox needs them in the first load). */
export const INTERVENTIONS_PATH = '/api/interventions';

/** True for the outbox entries that carry reports: their own failures never become items (no report loop). */
export function isReportPath(path: string): boolean {
  return path === INTERVENTIONS_PATH;
}

export const REPORT_SCOPE_PREFIX = 'intervention:';

/** True for the outbox scopes of reports: the runtime's own work, not the student's ("N pending" leaves them out). */
export function isReportScope(scope: string): boolean {
  return scope.startsWith(REPORT_SCOPE_PREFIX);
}
