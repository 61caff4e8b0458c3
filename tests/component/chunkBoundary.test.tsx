import { lazy, Suspense, useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChunkBoundary } from '../../src/app/components/ChunkBoundary';
import { recoverFromChunkError } from '../../src/app/resilience/chunkRecovery';
import { memoryStorage, type ResilienceRuntime, type SyncStorageLike } from '../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, json } from './react/runtimeFixture';

const missingChunk = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: https://tutor.test/assets/TutorChat-old.js'));

/** A page with a lazy part whose chunk is gone (an old deploy), or loads once `chunkIsBack()` says so. */
function Page(props: { runtime: ResilienceRuntime; sessionStorage: SyncStorageLike; pageStartedAt: number; chunkIsBack: () => boolean }) {
  const load = () => (props.chunkIsBack() ? Promise.resolve({ default: () => <p>Tutor ready</p> }) : missingChunk());
  const [part, setPart] = useState(() => ({ attempt: 0, Part: lazy(load) }));
  const { Part } = part;
  return (
    <ChunkBoundary
      key={part.attempt}
      what="The tutor"
      recover={(error) => recoverFromChunkError(error, { healing: props.runtime.healing, sessionStorage: props.sessionStorage, pageStartedAt: props.pageStartedAt })}
      onRetry={() => setPart((current) => ({ attempt: current.attempt + 1, Part: lazy(load) }))}
    >
      <Suspense fallback={<p>Loading…</p>}>
        <Part />
      </Suspense>
    </ChunkBoundary>
  );
}

describe('a lazy part of the app whose chunk failed to load', () => {
  it('reloads the page once; after that reload a second failure is put into words instead of reloading again', async () => {
    const reload = vi.fn();
    const sessionStorage = memoryStorage(); // survives the "reload": the same tab
    const runtime = (): ResilienceRuntime =>
      createTestRuntime(createTestFetch(() => json(200, {})).fetch, { healing: { reload, sessionStorage } });
    let chunkIsBack = false;

    const before = runtime();
    const first = render(<Page runtime={before} sessionStorage={sessionStorage} pageStartedAt={Date.now() - 1_000} chunkIsBack={() => chunkIsBack} />);
    expect(await screen.findByText('Updating the app…')).toBeInTheDocument();
    expect(reload).toHaveBeenCalledTimes(1);
    first.unmount();
    before.dispose();

    // The page after the reload: a fresh runtime, the same tab's sessionStorage, the chunk still failing.
    const after = runtime();
    const second = render(<Page runtime={after} sessionStorage={sessionStorage} pageStartedAt={Date.now() + 1} chunkIsBack={() => chunkIsBack} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The tutor couldn't be loaded. The app may have just been updated: reloading the page gets the latest version.");
    expect(reload).toHaveBeenCalledTimes(1);
    expect(await axeViolations(second.container)).toEqual([]);

    chunkIsBack = true;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Tutor ready')).toBeInTheDocument();
    second.unmount();
    after.dispose();
  });

  it('does not reload for an error that is not a failed chunk', async () => {
    const reload = vi.fn();
    const rt = createTestRuntime(createTestFetch(() => json(200, {})).fetch, { healing: { reload, sessionStorage: memoryStorage() } });
    const Broken = lazy(() => Promise.reject(new Error('render bug')));
    render(
      <ChunkBoundary what="The tutor" recover={(error) => recoverFromChunkError(error, { healing: rt.healing, sessionStorage: null, pageStartedAt: 0 })} onRetry={() => undefined}>
        <Suspense fallback={null}>
          <Broken />
        </Suspense>
      </ChunkBoundary>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent("The tutor couldn't be loaded.");
    expect(reload).not.toHaveBeenCalled();
    rt.dispose();
  });
});
