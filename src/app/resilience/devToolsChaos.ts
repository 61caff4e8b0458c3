import { runtimeChaos, type RuntimeChaos } from '../../resilience';
import { chaosFromUrl } from './chaosFromUrl';

/**
 * Replaced at build time (as in LazyDeveloperPanel): false in a production build, so the body below is dead code
 * there and neither the `?chaos=` parser nor the runtime's chaos code is shipped to students.
 */
const DEV_TOOLS_BUILD = import.meta.env.DEV || import.meta.env.VITE_DEV_TOOLS === '1';

/** The runtime's `chaos` option from the page's `?chaos=seed:scenario`, in developer-tools builds only. */
export function chaosForPage(search: string, report: (message: string) => void): RuntimeChaos | undefined {
  if (!DEV_TOOLS_BUILD) return undefined;
  const settings = chaosFromUrl(search, report);
  return settings ? runtimeChaos(settings) : undefined;
}
