import { useId, useState } from 'react';
import { BreakerTable } from './BreakerTable';
import { ChaosControls, type ChaosControlsProps } from './ChaosControls';
import { EventLog } from './EventLog';
import { FlagSwitches } from './FlagSwitches';
import { LiveMetrics } from './metrics/LiveMetrics';
import { PredictorStatus } from './PredictorStatus';

export interface DeveloperPanelProps {
  /** Start expanded. Default false. */
  defaultOpen?: boolean;
  chaos?: ChaosControlsProps;
}

/**
 * Developer tools: flag switches, live breaker states, the predictor's risk, recent events and chaos controls, in a
 * collapsible region. Render it only when dev tools are allowed; it does not check that itself.
 */
export function DeveloperPanel({ defaultOpen = false, chaos }: DeveloperPanelProps) {
  const [open, setOpen] = useState(defaultOpen);
  const bodyId = useId();
  const headingId = useId();
  return (
    <aside className="dev-panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="dev-panel-heading">
        <button type="button" className="button-quiet" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          Developer tools
        </button>
      </h2>
      <div id={bodyId} hidden={!open} className="dev-panel-body">
        <FlagSwitches />
        <BreakerTable />
        <LiveMetrics />
        <PredictorStatus />
        <ChaosControls {...chaos} />
        <EventLog />
      </div>
    </aside>
  );
}
