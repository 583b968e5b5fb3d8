import pino, { type Logger } from 'pino';
import type { AuditEntry } from './types.js';

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

/** The AuditLog sink writing one line per entry to an audit logger: `{"log":"audit","audit":{…},"msg":"audit"}`. */
export function auditLogSink(logger: Logger): (entry: AuditEntry) => void {
  return (entry) => logger.info({ audit: entry }, 'audit');
}
