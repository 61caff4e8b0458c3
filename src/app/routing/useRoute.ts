import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './route';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const readHash = () => window.location.hash;

/** The current page, following the URL hash (links are plain `<a href="#/...">`). */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, readHash, () => ''));
}
