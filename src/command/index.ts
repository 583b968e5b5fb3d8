/** The command room's front door: the `/debugdead` grammar. */
export {
  AUDIT_LIMIT_MAX,
  type AuditFilter,
  dnsLabelProblem,
  dnsSubdomainProblem,
  echoSafe,
  type ParsedCommand,
  parseCommand,
  USAGE,
} from './parse-command.js';
