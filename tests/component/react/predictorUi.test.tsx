import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResilienceProvider, TextOnlySuggestion } from '../../../src/react';
import { PredictorStatus } from '../../../src/react/PredictorStatus';
import type { ResilienceRuntime, RiskScorer } from '../../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, json } from './runtimeFixture';

const scripted = (): RiskScorer & { value: number } => ({
  name: 'scripted',
  value: 0.1,
  score() {
    return { score: this.value, factors: [{ name: 'latencyTrend', weight: this.value, detail: 'latency rising' }] };
  },
});

describe('predictor UI', () => {
  let runtime: ResilienceRuntime | undefined;
  afterEach(() => runtime?.dispose());

  function setup() {
    const scorer = scripted();
    runtime = createTestRuntime(createTestFetch(() => json(200, {})).fetch, { flags: { allowOverrides: true }, predictor: { seams: {}, visibility: null, scorer } });
    runtime.flags.setOverride('predictor', true);
    return { scorer, runtime };
  }

  it('the developer panel shows the score, level and reasons live, and says when the flag is off', async () => {
    const { scorer, runtime: rt } = setup();
    render(
      <ResilienceProvider runtime={rt}>
        <PredictorStatus />
      </ResilienceProvider>,
    );
    expect(screen.getByText('No evaluation yet.')).toBeInTheDocument();
    await act(() => rt.predictor.ready()); // its code is loaded once the flag is on; the panel subscribed before
    scorer.value = 0.65;
    act(() => void rt.predictor.evaluateNow());
    expect(screen.getByTestId('predictor-score')).toHaveTextContent('0.65');
    expect(screen.getByTestId('predictor-level')).toHaveTextContent('high');
    expect(screen.getByText(/latencyTrend \+0.65: latency rising/)).toBeInTheDocument();
    // Flag changes reach the UI through the runtime's batched feed: within a frame of the last update it sent.
    await act(async () => void rt.flags.setOverride('predictor', false));
    expect(await screen.findByText('Off (flag predictor).')).toBeInTheDocument();
  });

  it('offers text-only while the suggestion stands; the button switches, and the offer goes when withdrawn', async () => {
    const { runtime: rt } = setup();
    const user = userEvent.setup();
    const { container } = render(
      <ResilienceProvider runtime={rt}>
        <TextOnlySuggestion />
      </ResilienceProvider>,
    );
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    act(() => rt.events.emit('prediction.suggestion', { suggestion: 'text-only', active: true, reason: 'CPU pressure critical' }));
    expect(screen.getByRole('status')).toHaveTextContent('This device is struggling (CPU pressure critical).');
    expect(await axeViolations(container)).toEqual([]);
    act(() => rt.events.emit('prediction.suggestion', { suggestion: 'text-only', active: false, reason: 'device recovered' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    act(() => rt.events.emit('prediction.suggestion', { suggestion: 'text-only', active: true, reason: 'memory critical' }));
    await user.click(screen.getByRole('button', { name: 'Switch to text-only' }));
    expect(rt.modes.snapshot().studentChoice).toBe('text-only');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('"Not now" hides the offer until the next suggestion', async () => {
    const { runtime: rt } = setup();
    const user = userEvent.setup();
    render(
      <ResilienceProvider runtime={rt}>
        <TextOnlySuggestion />
      </ResilienceProvider>,
    );
    act(() => rt.events.emit('prediction.suggestion', { suggestion: 'text-only', active: true, reason: 'CPU pressure critical' }));
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(rt.modes.snapshot().studentChoice).toBe(null);
  });
});
