// The front door of src/agent: the in-cluster role of many clusters (README "Many clusters").
export { attestedGroups } from './attested-groups.js';
export { relayAlertSink } from './relay-alert-sink.js';
export { type AgentOptions, type RunningAgent, startAgent } from './start-agent.js';
