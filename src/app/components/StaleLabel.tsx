import type { Staleness } from '../services/types';

/** Says that what is shown is a saved copy, and how old it is, when the server could not be reached. */
export function StaleLabel({ stale }: { stale: Staleness | undefined }) {
  if (!stale) return null;
  return (
    <p className="stale-label">
      Saved copy from {describeAge(stale.ageMs)} — you&apos;re offline or the server is having trouble.
    </p>
  );
}

/** "just now", "1 minute ago", "5 minutes ago", "2 hours ago", "3 days ago". */
export function describeAge(ageMs: number): string {
  const minutes = Math.floor(ageMs / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}
