import { classify } from '../core/classify';
import { ResilienceError } from '../core/errors';

/** Where page-level errors come from (window in the browser). */
export interface ChunkErrorSource {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
}

// Chromium, Safari, Firefox wording for a failed dynamic import, and webpack-style ChunkLoadError.
const CHUNK_FAILURE = /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module|ChunkLoadError|Loading (CSS )?chunk [\w-]+ failed/i;

/**
 * Routes chunk-load failures to `onChunkError` (usually `runtime.healing.handleError`): Vite's
 * `vite:preloadError` event (its `payload` is the error) and unhandled promise rejections whose reason looks
 * like a failed dynamic import. Other rejections are left alone. The preload event is not default-prevented,
 * so Vite still throws to the importer as it would without us. Returns the function that uninstalls it.
 */
export function installChunkErrorHandler(target: ChunkErrorSource, onChunkError: (error: ResilienceError) => void): () => void {
  const route = (reason: unknown) => {
    const error = classify(reason);
    try {
      onChunkError(error.code === 'CHUNK_LOAD' ? error : new ResilienceError('CHUNK_LOAD', error.message, { cause: reason }));
    } catch {
      // The handler is ours to call, not ours to fix; a failing handler must not become a page error.
    }
  };
  const onPreloadError = (event: unknown) => route((event as { payload?: unknown }).payload ?? event);
  const onRejection = (event: unknown) => {
    const reason = (event as { reason?: unknown }).reason;
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    if (CHUNK_FAILURE.test(text)) route(reason);
  };
  target.addEventListener('vite:preloadError', onPreloadError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('vite:preloadError', onPreloadError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
