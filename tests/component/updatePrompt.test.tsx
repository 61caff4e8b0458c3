import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { UpdatePrompt } from '../../src/app/serviceWorker/UpdatePrompt';
import type { ServiceWorkerUpdates, UpdateSnapshot } from '../../src/app/serviceWorker/serviceWorkerUpdates';
import { useUnsavedWork } from '../../src/app/serviceWorker/unsavedWork';
import { createReloadGuard, memoryStorage, systemClock } from '../../src/resilience';

/** The page side of the worker, driven by the test: `waiting()` is a new version installed and waiting. */
function fakeUpdates() {
  let state: UpdateSnapshot = { updateReady: false, applying: false };
  const listeners = new Set<(snapshot: UpdateSnapshot) => void>();
  const set = (next: Partial<UpdateSnapshot>) => {
    state = { ...state, ...next };
    listeners.forEach((listener) => listener(state));
  };
  const applyUpdate = vi.fn(() => set({ applying: true }));
  const updates: ServiceWorkerUpdates = {
    snapshot: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    applyUpdate,
    onDrainRequest: () => () => undefined,
    requestBackgroundSync: async () => undefined,
    dispose: () => undefined,
  };
  return { updates, applyUpdate, waiting: () => act(() => set({ updateReady: true })) };
}

function Draft() {
  const [text, setText] = useState('');
  useUnsavedWork(text.trim() !== '');
  return <input aria-label="Answer" value={text} onChange={(event) => setText(event.target.value)} />;
}

describe('the update prompt', () => {
  it('says a new version is ready in a status region, and reloads only when the student accepts while a draft is typed', async () => {
    const user = userEvent.setup();
    const { updates, applyUpdate, waiting } = fakeUpdates();
    const guard = createReloadGuard({ clock: systemClock(), storage: memoryStorage() });
    render(
      <>
        <Draft />
        <UpdatePrompt updates={updates} outbox={null} guard={guard} />
      </>,
    );
    expect(screen.getByRole('status')).toHaveTextContent(/^$/);
    await user.type(screen.getByLabelText('Answer'), '3/4');
    waiting();
    expect(screen.getByRole('status')).toHaveTextContent(/^A new version is ready — Reload$/);
    expect(applyUpdate).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    expect(applyUpdate).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Reload' })).toBeDisabled();
  });

  it('reloads by itself once the draft is gone, and only once per guard window', async () => {
    const user = userEvent.setup();
    const storage = memoryStorage();
    const first = fakeUpdates();
    const guard = createReloadGuard({ clock: systemClock(), storage });
    const view = render(
      <>
        <Draft />
        <UpdatePrompt updates={first.updates} outbox={null} guard={guard} />
      </>,
    );
    await user.type(screen.getByLabelText('Answer'), 'x');
    first.waiting();
    expect(first.applyUpdate).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('Answer'));
    expect(first.applyUpdate).toHaveBeenCalledTimes(1);
    view.unmount();

    // The reloaded page meets a waiting version again within the window: it asks instead of reloading.
    const second = fakeUpdates();
    render(<UpdatePrompt updates={second.updates} outbox={null} guard={createReloadGuard({ clock: systemClock(), storage })} />);
    second.waiting();
    expect(second.applyUpdate).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('A new version is ready — Reload');
  });
});
