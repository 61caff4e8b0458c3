/**
 * Puts a failed operation into plain words for a student. Branches on the error's `code` (and HTTP
 * `status`), never on message text or class (`instanceof` breaks across bundles), so any error carrying
 * the runtime's codes is described the same way.
 */
export function describeError(error: unknown): string {
  const { code, status, message, reason } = errorFields(error);
  switch (code) {
    case 'NETWORK':
      return "We couldn't reach the server. Check your internet connection and try again.";
    case 'TIMEOUT':
      return 'The server took too long to answer. Please try again.';
    case 'HTTP_5XX':
    case 'CIRCUIT_OPEN':
      return 'The server is having trouble right now. Please try again in a moment.';
    case 'RATE_LIMITED':
      return 'Too many tries in a short time. Please wait a moment and try again.';
    case 'AUTH':
      return "We couldn't confirm who you are. Try logging out and back in.";
    case 'CONFLICT':
      return 'That is still being processed. Please wait a moment.';
    case 'CHUNK_LOAD':
      return "Part of the app couldn't be downloaded. Check your internet connection and try again. Everything you saved is kept.";
    case 'SOCKET_CLOSED':
    case 'SOCKET_STALE':
      return 'The connection to the tutor was lost. Please ask again.';
    case 'STORAGE_QUOTA':
      return "Your device is out of storage space, so this couldn't be saved. Nothing you saved before is lost.";
    case 'STORAGE_UNAVAILABLE':
      if (reason === 'savingOfflineOff') {
        return "We couldn't reach the server, and saving offline is off in this browser, so answers need a connection. Please try again when you are back online.";
      }
      return "This browser's storage isn't working, so this couldn't be saved. Please try again.";
    case 'STORAGE_CLOSED':
      return "This browser's storage stopped answering, so this couldn't be saved. Please try again.";
    case 'HTTP_4XX':
      if (status === 404) return "We couldn't find that. It may have been moved or removed.";
      return message ? `That wasn't accepted: ${message}` : "That wasn't accepted. Please check it and try again.";
    default:
      return 'Something went wrong. Please try again.';
  }
}

function errorFields(error: unknown): { code?: string; status?: number; message?: string; reason?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { code, status, message, detail } = error as Record<string, unknown>;
  const reason = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>).reason : undefined;
  return {
    code: typeof code === 'string' ? code : undefined,
    status: typeof status === 'number' ? status : undefined,
    message: typeof message === 'string' ? message : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}
