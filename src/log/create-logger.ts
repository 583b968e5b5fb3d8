import pino, { type Logger } from 'pino';

/**
 * Paths redacted from every application log line. Tokens can reach a log through a config dump, an error's
 * request options or a Slack payload; redacting by path is cheap and cannot be forgotten at a call site.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  '*.headers["x-slack-signature"]',
  'password',
  '*.password',
  'slack.botToken',
  'slack.appToken',
  'slack.signingSecret',
  'redis.url',
];

export interface LoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** Pretty output for people: only on a TTY outside production. @defaultValue auto */
  pretty?: boolean;
  /** Where JSON lines go. @defaultValue stdout */
  destination?: pino.DestinationStream;
}

/** The application logger: pino JSON, secrets redacted by path, pretty only for a developer at a terminal. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' }, base: { app: 'debugdead' } };
  if (pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
