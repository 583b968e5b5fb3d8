/** The command room's front door: the `/debugdead` grammar. */
export {
  AUDIT_LIMIT_MAX,
  type AuditFilter,
  dnsLabelProblem,
  dnsSubdomainProblem,
  echoSafe,
  type ParsedCommand,
  parseCommand,
  parseDiagnoseTarget,
  USAGE,
} from './parse-command.js';
export { resourceKindOf, type WorkloadKind, type WorkloadTarget } from './workload-kinds.js';
