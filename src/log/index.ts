export { createLogger, type LoggerOptions, REDACTED_PATHS } from './create-logger.js';
