import { lazy, Suspense, useState } from 'react';
import type { DeveloperPanelProps } from '../../react/DeveloperPanel';
import { ChunkBoundary } from './ChunkBoundary';

/**
 * Whether this build may contain developer tools at all, fixed by the bundler: `import.meta.env.DEV` and
 * `VITE_DEV_TOOLS` are replaced at build time, so in a production build the import below is dead code and the
 * panel and chaos controls are not even emitted (docs/operations.md, "Production build").
 */
const DEV_TOOLS_BUILD = import.meta.env.DEV || import.meta.env.VITE_DEV_TOOLS === '1';

const loadPanel = () => import('../../react/DeveloperPanel').then((module) => ({ default: module.DeveloperPanel }));

/**
 * The developer panel in its own chunk, fetched only when the app renders it (dev tools allowed), so it is never
 * part of the first-load JS. A failed load says so in the panel's place and offers to try again.
 */
function DeveloperPanelLoader(props: DeveloperPanelProps) {
  // A lazy component remembers a failed import, so "Try again" needs a new one (and a fresh boundary).
  const [panel, setPanel] = useState(() => ({ attempt: 0, Panel: lazy(loadPanel) }));
  const { Panel } = panel;
  return (
    <ChunkBoundary
      key={panel.attempt}
      what="Developer tools"
      recover={() => Promise.resolve('failed')}
      onRetry={() => setPanel((current) => ({ attempt: current.attempt + 1, Panel: lazy(loadPanel) }))}
    >
      <Suspense fallback={null}>
        <Panel {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}

/** The lazily loaded developer panel, or null in a build without developer tools (nothing of it is emitted). */
export const LazyDeveloperPanel: typeof DeveloperPanelLoader | null = DEV_TOOLS_BUILD ? DeveloperPanelLoader : null;
