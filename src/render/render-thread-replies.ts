import type { Diagnosis } from '../diagnosis/types.js';
import type { Block } from './block-kit-types.js';
import { section } from './blocks.js';
import { packBlocks } from './limits.js';
import { renderDescribeSummary } from './render-describe-summary.js';
import { renderEventsTable } from './render-events-table.js';
import { type LogReplyOptions, renderLogReplies } from './render-log-replies.js';
import { safeMrkdwn } from './safe-mrkdwn.js';
import type { ThreadReply } from './thread-reply.js';

export type ThreadRepliesOptions = LogReplyOptions;

function messages(blocks: Block[], text: string): ThreadReply[] {
  return packBlocks(blocks).map((page, i) => ({
    kind: 'message',
    message: { text: i === 0 ? text : `${text} (continued)`, blocks: page },
  }));
}

function eventBlocks(d: Diagnosis): Block[] {
  const failed = d.missing.find((m) => /^events\b/i.test(m.what));
  if (failed) {
    return [section(`:calendar: *Events* could not be read — ${failed.kind}: ${safeMrkdwn(failed.message, 600)}`)];
  }
  if (d.events.length === 0) {
    // The API server keeps events for an hour by default (--event-ttl), so an old crash loop may have none.
    return [section(':calendar: *Events*: none recorded for this pod (events expire after an hour by default)')];
  }
  return renderEventsTable(d.events);
}

/**
 * The thread under a diagnosis: the describe summary, the events table, then current and previous logs per
 * container (long ones as files). Every message fits Slack's limits whatever the logs contain.
 */
export function renderThreadReplies(d: Diagnosis, opts: ThreadRepliesOptions): ThreadReply[] {
  const pod = `${d.pod.namespace}/${d.pod.name}`;
  const replies = [
    ...messages(renderDescribeSummary(d), safeMrkdwn(`Describe ${pod}`, 400)),
    ...messages(eventBlocks(d), safeMrkdwn(`Events of ${pod}`, 400)),
  ];
  const logs = renderLogReplies(d, opts);
  if (logs.length === 0) {
    replies.push(...messages([section(':scroll: *Logs*: none were fetched for this pod')], 'Logs'));
  }
  return [...replies, ...logs];
}
