export { isInnocentValue, looksLikeSecret, REDACTED } from './judge-value.js';
export { type Redacted, type Redaction, redact, redactText } from './redact.js';
export { redactBelow } from './redact-below.js';
export { SECRET_RULES, type SecretRule } from './secret-rules.js';
export { isSensitiveKey, type KeyStrength, keyStrength } from './sensitive-key.js';
export { VENDOR_SHAPES } from './vendor-shapes.js';
