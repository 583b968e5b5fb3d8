export { type Redacted, redact } from './redact.js';
export { isInnocentValue, isSensitiveKey, REDACTED, SECRET_RULES, type SecretRule } from './secret-rules.js';
