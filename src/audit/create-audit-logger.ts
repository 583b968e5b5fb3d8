import pino, { type Logger } from 'pino';
import type { AuditLine } from './audit-log-lines.js';

/**
 * The audit log stream: a pino logger of its own, at level 'info' whatever the application log level is, writing
 * synchronously (pino.destination sync: true) so a line is on its file descriptor before `record` goes on, and a
 * crash right after an action cannot lose it from a buffer.
 * @param destination a file path or descriptor. @defaultValue 1 (stdout)
 */
export function createAuditLogger(destination: string | number = 1): Logger {
  return pino(
    { level: 'info', base: { log: 'audit' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: destination, sync: true, mkdir: typeof destination === 'string' }),
  );
}

/**
 * The AuditLog sink writing one line per audit line to an audit logger:
 * `{"log":"audit","audit":{…record, seq, prevHash, hash, mac},"msg":"audit"}`, spooled entries with `"spooled":true`,
 * anchors as `{"log":"audit","anchor":{seq,hash,time},"msg":"audit anchor"}`. parseAuditLogLines reads them back.
 */
export function auditLogSink(logger: Logger): (line: AuditLine) => void {
  return (line) => {
    if (line.kind === 'record') logger.info({ audit: line.record }, 'audit');
    else if (line.kind === 'spooled') logger.info({ audit: line.entry, spooled: true }, 'audit record spooled');
    else logger.info({ anchor: line.anchor }, 'audit anchor');
  };
}
