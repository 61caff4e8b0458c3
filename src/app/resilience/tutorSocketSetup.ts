import { MAX_FRAME_BYTES } from '../../protocol/socket';
import { tutorFrameCodec } from '../services/tutorFrameCodec';
import type { ChunkErrorSource, HealingConfig, SyncStorageLike, StreamSocketConfig, WebSocketConstructor } from '../../resilience';
import { tutorSocketUrl } from '../services/tutorSocketUrl';

/** The parts of the page the tutor socket and the chunk reload need (window.location, window). */
export interface PageHandles {
  readonly href: string;
  reload(): void;
  /** Where chunk-load failures are reported (`window`); null to watch none. */
  readonly chunkErrorSource: ChunkErrorSource | null;
  /** Per-tab storage that survives a reload (sessionStorage); null when the browser has none. */
  readonly sessionStorage: SyncStorageLike | null;
}

const SESSION_KEY_PREFIX = 'tutor.socketSession.';
/** What the server accepts as a session id. */
const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The tutor session of one student in this tab. Kept in sessionStorage, so a reload (a chunk reload after a
 * deploy) resumes the same server session, while another tab or another student gets a session of its own.
 * Without storage each call makes a fresh id.
 */
export function tutorSessionId(storage: SyncStorageLike | null, studentId: string, createId: () => string = () => crypto.randomUUID()): string {
  const key = SESSION_KEY_PREFIX + studentId;
  try {
    const kept = storage?.getItem(key) ?? null;
    if (kept !== null && SESSION_ID.test(kept)) return kept;
  } catch {
    // storage refused: a fresh session only costs the resume of replies in flight
  }
  const fresh = createId();
  try {
    storage?.setItem(key, fresh);
  } catch {
    // as above
  }
  return fresh;
}

/** The runtime's tutor socket for a student: ws: or wss: like the page, same host, the student's tab session. */
export function tutorSocketConfig(options: {
  studentId: string;
  page: Pick<PageHandles, 'href' | 'sessionStorage'>;
  WebSocketImpl?: WebSocketConstructor;
  pingIntervalMs?: number;
}): StreamSocketConfig {
  const session = tutorSessionId(options.page.sessionStorage, options.studentId);
  return {
    url: tutorSocketUrl(options.page.href, session),
    session,
    codec: tutorFrameCodec,
    maxFrameBytes: MAX_FRAME_BYTES,
    ...(options.WebSocketImpl ? { WebSocketImpl: options.WebSocketImpl } : {}),
    ...(options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs }),
  };
}

/** Healing wired to the page: a chunk that fails after a deploy reloads the page once (guarded in sessionStorage). */
export function pageHealingConfig(page: PageHandles): HealingConfig {
  return {
    reload: () => page.reload(),
    sessionStorage: page.sessionStorage,
    ...(page.chunkErrorSource ? { chunkErrorSource: page.chunkErrorSource } : {}),
  };
}

/** The real page's handles; each read is guarded (storage access can throw in locked-down browsers). */
export function browserPage(): PageHandles {
  let sessionStorage: SyncStorageLike | null = null;
  try {
    sessionStorage = globalThis.sessionStorage ?? null;
  } catch {
    sessionStorage = null;
  }
  return {
    href: globalThis.location.href,
    reload: () => globalThis.location.reload(),
    chunkErrorSource: typeof window === 'undefined' ? null : window,
    sessionStorage,
  };
}
