/** Page events that trigger the emergency checkpoint: `pagehide` on window, `visibilitychange` on document. */
export interface PageHideSource {
  readonly visibilityState: string;
  addEventListener(type: 'pagehide' | 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'pagehide' | 'visibilitychange', listener: () => void): void;
}

/**
 * Calls `save` when the page is hidden or goes: the last moment a page is sure to run code (a closed tab or a
 * killed renderer may give none); the write is started there, and IndexedDB usually finishes it even as the page
 * goes. `page` undefined → the page's `document` and `window`; null → none. Returns the function that stops it.
 */
export function onPageHide(page: PageHideSource | null | undefined, save: () => void): () => void {
  const source = page === undefined ? defaultPageHideSource() : page;
  const onHide = () => {
    if (source?.visibilityState === 'hidden' || source?.visibilityState === undefined) save();
  };
  source?.addEventListener('visibilitychange', onHide);
  source?.addEventListener('pagehide', save);
  return () => {
    source?.removeEventListener('visibilitychange', onHide);
    source?.removeEventListener('pagehide', save);
  };
}

function defaultPageHideSource(): PageHideSource | null {
  const scope = globalThis as { document?: { visibilityState: string; addEventListener: (type: string, l: () => void) => void; removeEventListener: (type: string, l: () => void) => void }; addEventListener?: (type: string, l: () => void) => void; removeEventListener?: (type: string, l: () => void) => void };
  const document = scope.document;
  if (!document || typeof scope.addEventListener !== 'function' || typeof scope.removeEventListener !== 'function') return null;
  const add = scope.addEventListener.bind(scope);
  const remove = scope.removeEventListener.bind(scope);
  return {
    get visibilityState() {
      return document.visibilityState;
    },
    addEventListener: (type, listener) => (type === 'pagehide' ? add(type, listener) : document.addEventListener(type, listener)),
    removeEventListener: (type, listener) => (type === 'pagehide' ? remove(type, listener) : document.removeEventListener(type, listener)),
  };
}
