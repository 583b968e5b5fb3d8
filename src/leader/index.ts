export { decideLease, formatMicroTime, type LeaseStep, type ObservedLease } from './decide-lease.js';
export { type LeaderElection, type LeaderElectionOptions, runLeaderElection } from './run-leader-election.js';
