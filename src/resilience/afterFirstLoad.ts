/**
 * The runtime's code loaded after the first load, as one chunk (one request, one gzip context): what the lazy
 * facades of the API client with storage, the outbox and the response cache, the intervention queue, the
 * checkpoints, the recovery flow, the outbox replays, the tutor sockets and the healing strategies import at
 * start-up. See docs/architecture.md, "Loaded after the first load".
 */
export { createStorageServices } from './outbox/outboxWiring';
export { createEscalations } from './escalation/escalationWiring';
export { createCheckpoints } from './checkpoint/checkpointWiring';
export { createRecovery } from './orchestrator/recoveryWiring';
export { createDrainScheduler } from './outbox/drainScheduler';
export { createStreamSockets } from './transport/streamSocketWiring';
export { startHealingStrategies } from './healing/laterStrategies';
