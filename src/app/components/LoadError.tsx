import { describeError } from '../errors/describeError';

/** A failed load in plain words, with a way to try again. */
export function LoadError({ what, error, onRetry }: { what: string; error: unknown; onRetry: () => void }) {
  return (
    <div role="alert" className="notice notice-error">
      <p>
        {what} could not be loaded. {describeError(error)}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
