import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { ChunkRecovery } from '../resilience/chunkRecovery';

export interface ChunkBoundaryProps {
  /** What failed to load, for the student ("The tutor"). */
  what: string;
  /** Decides what to do about the error (usually recoverFromChunkError). */
  recover(error: unknown): Promise<ChunkRecovery>;
  /** Loads the part again (a new lazy component) and resets the boundary. */
  onRetry(): void;
  children: ReactNode;
}

type BoundaryState = { status: 'ok' } | { status: 'recovering' } | { status: 'reloading' } | { status: 'failed' };

/**
 * Catches a lazily loaded part that failed to load (after a deploy its old chunk is gone) and hands the
 * error to `recover`: while the page reloads it says so; if recovery declines it says in plain words what
 * happened and offers to try again. The rest of the page keeps working either way.
 */
export class ChunkBoundary extends Component<ChunkBoundaryProps, BoundaryState> {
  override state: BoundaryState = { status: 'ok' };

  static getDerivedStateFromError(): BoundaryState {
    return { status: 'recovering' };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    void this.props.recover(error).then(
      (outcome) => this.setState({ status: outcome }),
      () => this.setState({ status: 'failed' }),
    );
  }

  override render(): ReactNode {
    const { status } = this.state;
    if (status === 'ok') return this.props.children;
    if (status === 'failed') {
      return (
        <div className="card chunk-failed" role="alert">
          <p>
            {this.props.what} couldn't be loaded. The app may have just been updated: reloading the page gets the
            latest version. Everything you saved is kept.
          </p>
          <button type="button" onClick={this.props.onRetry}>
            Try again
          </button>
        </div>
      );
    }
    return (
      <div className="card" role="status">
        <p className="muted">{status === 'reloading' ? 'Updating the app…' : `Loading ${this.props.what.toLowerCase()}…`}</p>
      </div>
    );
  }
}
