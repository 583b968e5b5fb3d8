import type { Runbook } from '../config/index.js';

/** At most this many links are shown; a context block holds ten elements, and more would bury the verdict. */
export const RUNBOOKS_SHOWN = 5;

/**
 * A context block with the matching runbooks as Slack links (`<url|title>`), or undefined when none match. The URL
 * and title come from the operator's config, already kept free of `| < >` by its validation; they are cleaned again
 * so a link can never end early or carry a mention. Pure.
 */
// biome-ignore lint/suspicious/noExplicitAny: Block Kit block
export function renderRunbookLinks(runbooks: readonly Runbook[]): any | undefined {
  if (runbooks.length === 0) return undefined;
  const links = runbooks.slice(0, RUNBOOKS_SHOWN).map((r) => {
    const url = r.url.replace(/[\s|<>]/g, '');
    const title = (r.title ?? url)
      .replace(/[|<>\n]/g, '')
      .replace(/&/g, '&amp;')
      .slice(0, 100);
    return `<${url}|${title}>`;
  });
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `:book: Runbook${links.length > 1 ? 's' : ''}: ${links.join(' · ')}` }],
  };
}
