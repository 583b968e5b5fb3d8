/** What an HTTP-mode request must satisfy before Bolt reads it: signature, freshness, no replay, a known shape. */
export { type BodyVerdict, checkSlackBody } from './check-slack-body.js';
export { SeenSignatures } from './seen-signatures.js';
export {
  SIGNATURE_WINDOW_SECONDS,
  type SignatureVerdict,
  type SignedRequest,
  verifySlackSignature,
} from './verify-slack-signature.js';
