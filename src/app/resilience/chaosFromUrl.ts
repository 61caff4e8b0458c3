import { parseChaosParam, type ChaosSettings } from '../../resilience';

/** The `chaos=seed:scenario` query parameter as runtime chaos settings; a bad value is reported and ignored. */
export function chaosFromUrl(search: string, report: (message: string) => void): ChaosSettings | undefined {
  const value = new URLSearchParams(search).get('chaos');
  if (value === null || value === '') return undefined;
  const parsed = parseChaosParam(value);
  if (parsed.ok) return parsed.settings;
  report(parsed.message);
  return undefined;
}
