/** The runbooks room's front door: config rules matched to a diagnosis, and the links shown with its verdict. */
export { matchRunbooks, type RunbookSubject } from './match-runbooks.js';
export { RUNBOOKS_SHOWN, renderRunbookLinks } from './render-runbook-links.js';
