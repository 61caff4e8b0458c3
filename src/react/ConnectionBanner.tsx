import type { ConnectionStatus } from './connectionStatus';
import { useConnectionStatus } from './hooks';

/**
 * The student-facing connection status (DESIGN §10). The `role=status` region is always rendered, empty when
 * all is well, so screen readers already track it when text appears (a live region added together with its
 * text is often not announced).
 */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  const message = describeStatus(status);
  return (
    <div role="status" className={message ? `connection-banner connection-banner-${status.kind}` : 'connection-banner'}>
      {message && <p>{message}</p>}
    </div>
  );
}

/** The banner's words for a status; empty when there is nothing to say. */
export function describeStatus(status: ConnectionStatus): string {
  switch (status.kind) {
    case 'offline':
      return 'Offline — you can keep reading; anything that needs the server will work again once you are back online.';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'limited':
      return "Limited mode — the server is having trouble; we'll keep trying.";
    case 'online':
      return '';
  }
}
