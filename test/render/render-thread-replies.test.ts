import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import { renderThreadReplies, type SlackMessage, type ThreadReply } from '../../src/render/index.js';
import { crashLoop, longLog, multiFailing, partialEvidence, unschedulable, withLogs } from './fixtures.js';
import { expectSlackAccepts, messagesOf, visibleText } from './slack-assertions.js';

const opts = { inlineLogLines: 20 };

function allText(replies: ThreadReply[]): string {
  return messagesOf(replies).map(visibleText).join('\n---\n');
}

/** The message of a reply that must be a message (not a file). */
function messageOf(reply: ThreadReply | undefined): SlackMessage {
  if (reply?.kind !== 'message') throw new Error(`expected a message reply, got ${reply?.kind}`);
  return reply.message;
}

function logReplies(replies: ThreadReply[]): ThreadReply[] {
  return replies.filter((r) => (r.kind === 'file' ? true : visibleText(r.message).startsWith(':scroll:')));
}

describe('renderThreadReplies', () => {
  it('starts with a describe summary: phase, conditions, and per container state, last exit, restarts, image', () => {
    const [first] = renderThreadReplies(crashLoop, opts);
    expect(first?.kind).toBe('message');
    const text = visibleText(messageOf(first));
    expect(text).toContain('*Describe* demo/web-1');
    expect(text).toContain('*Phase* Running · *Status* CrashLoopBackOff · *Restart policy* Always · *Node* node-1');
    expect(text).toContain('• Ready: False (ContainersNotReady — containers with unready status: [app])');
    expect(text).toContain(':x: *app* (container) · image `registry.example.com/shop/web:1.4.2`');
    expect(text).toContain('• State: waiting: CrashLoopBackOff — back-off 5m0s restarting failed');
    expect(text).toContain(
      '• Last state: terminated, exit 1 — the application exited with an error after 3s, finished <!date^',
    );
    expect(text).toContain('• Restarts: 23 · Ready: no · Back-off: 5m');
  });

  it('shows the events as a table in a code block, with counts and ages', () => {
    const text = allText(renderThreadReplies(crashLoop, opts));
    expect(text).toContain(':calendar: *Events* (3, repeats folded)\n```\nTYPE     REASON     COUNT  AGE  MESSAGE\n');
    expect(text).toContain(
      'Warning  BackOff    410    12s  Back-off restarting failed container app in pod web-1_demo(6c3e0f2a)',
    );
    expect(text).toContain('Normal   Scheduled  1      90m  Successfully assigned demo/web-1 to node-1');
  });

  it('shows short current and previous logs inline, labelled with the instance and its exit code', () => {
    const logs = logReplies(renderThreadReplies(crashLoop, opts));
    expect(logs.map((r) => r.kind)).toEqual(['message', 'message']);
    const [current, previous] = logs.map((r) => visibleText(messageOf(r)));
    expect(current).toBe(
      ':scroll: *app — current instance (last run, exit 1)*\n```\nlistening on :8080\nError: connect ECONNREFUSED 10.0.0.12:5432\n```',
    );
    expect(previous).toContain('*app — previous instance (exit 1)*');
  });

  it('uploads a long log as a file with the full text, and shows its last lines inline', () => {
    const log = longLog(500);
    const replies = renderThreadReplies(withLogs(crashLoop, log), opts);
    const file = replies.find((r) => r.kind === 'file');
    if (file?.kind !== 'file') throw new Error('expected a file reply');
    expect(file.filename).toBe('web-1_app_current.log');
    expect(file.title).toBe('app — current instance (last run, exit 1)');
    expect(file.content).toBe(log);
    const comment = visibleText(file.comment);
    expect(comment).toContain('full log attached (500 lines); the last 20:');
    expect(comment).toContain('line 500 of the log\n```');
    expect(comment).toContain('line 481 of the log');
    expect(comment).not.toContain('line 480 of the log');
    expect(file.comment.text).toContain('line 500 of the log');
  });

  it('a log with few but huge lines becomes a file too, its inline tail cut to fit', () => {
    const replies = renderThreadReplies(withLogs(crashLoop, `start\n${'x'.repeat(50_000)}\nend`), opts);
    const file = replies.find((r) => r.kind === 'file');
    if (file?.kind !== 'file') throw new Error('expected a file reply');
    expect(file.content.length).toBe(50_010);
    expect(visibleText(file.comment)).toMatch(/…x+\nend\n```$/);
    expectSlackAccepts(file.comment);
  });

  it('a log full of triple backticks cannot break out of its code block', () => {
    const replies = renderThreadReplies(withLogs(crashLoop, '```\n*bold* <!channel>\n```\n````'), opts);
    const text = visibleText(messageOf(logReplies(replies)[0]));
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('strips terminal colours, control characters and carriage returns from logs', () => {
    const replies = renderThreadReplies(
      withLogs(crashLoop, '\x1b[31mERROR\x1b[0m boom\x00\x07\r\nprogress 10%\rprogress 100%'),
      opts,
    );
    const text = visibleText(messageOf(logReplies(replies)[0]));
    expect(text).toContain('```\nERROR boom\nprogress 10%\nprogress 100%\n```');
  });

  it('scrubs secrets a log still carries (defence in depth behind the caller)', () => {
    const replies = renderThreadReplies(withLogs(crashLoop, 'DATABASE_URL=postgres://app:pg_s3cret@db/app'), opts);
    expect(allText(replies)).not.toContain('pg_s3cret');
    expect(allText(replies)).toContain('postgres://app:[REDACTED]@db/app');
  });

  it('an empty log says "no output"', () => {
    const replies = renderThreadReplies(withLogs(crashLoop, '\n'), opts);
    expect(allText(replies)).toContain(':scroll: *app — current instance (last run, exit 1)*: no output');
  });

  it('says plainly which evidence is missing and why', () => {
    const text = allText(renderThreadReplies(partialEvidence, opts));
    expect(text).toContain(':warning: *Missing evidence*');
    expect(text).toContain(
      '• events: Forbidden — events is forbidden: User "system:serviceaccount:debugdead:bot" cannot list',
    );
    expect(text).toContain(':calendar: *Events* could not be read — Forbidden');
    expect(text).toContain(
      ':warning: *app — previous instance (exit 1)*: could not be read — Timeout: GET pods/log timed out after 10s',
    );
  });

  it('a container that never started has no log, said as a fact rather than a warning', () => {
    const d: Diagnosis = {
      ...crashLoop,
      logs: [
        {
          container: 'app',
          current: {
            ok: false,
            kind: 'Invalid',
            message: 'container "app" in pod "web-1" is waiting to start: image can\'t be pulled',
          },
        },
      ],
    };
    const text = allText(renderThreadReplies(d, opts));
    expect(text).toContain(
      ':scroll: *app — current instance (last run, exit 1)*: no log — container "app" in pod "web-1" is waiting to start: image can\'t be pulled',
    );
  });

  it('a pod with no events and no logs says so', () => {
    const text = allText(renderThreadReplies(unschedulable, opts));
    expect(text).toContain(':calendar: *Events*: none recorded for this pod');
    expect(text).toContain(':scroll: *Logs*: none were fetched for this pod');
  });

  it('lists every container of a multi-container pod and both logs of the one that restarted', () => {
    const text = allText(renderThreadReplies(multiFailing, opts));
    for (const name of ['migrate', 'worker', 'api', 'envoy', 'cron', 'reporter']) expect(text).toContain(`*${name}*`);
    expect(text).toContain('(init container)');
    expect(text).toContain('(sidecar)');
    expect(text).toContain('*api — previous instance (exit 2)*');
  });

  it('splits hundreds of events over several messages, each accepted by Slack, and counts the rest', () => {
    const events = Array.from({ length: 150 }, (_, i) => ({
      type: 'Warning',
      reason: `Reason${i}`,
      message: `message ${i} ${'y'.repeat(250)}`,
      count: i + 1,
      ageSeconds: i * 30,
    }));
    const d: Diagnosis = { ...crashLoop, events };
    const replies = renderThreadReplies(d, opts);
    for (const m of messagesOf(replies)) expectSlackAccepts(m);
    const text = allText(replies);
    expect(text).toContain('Reason99');
    expect(text).not.toContain('Reason100 ');
    expect(text).toContain('… 50 more events not shown');
  });

  it.each([
    ['crash loop', crashLoop],
    ['several failing containers', multiFailing],
    ['unschedulable', unschedulable],
    ['partial evidence', partialEvidence],
    ['a long log', withLogs(crashLoop, longLog(5000), longLog(3))],
  ])('Slack accepts every reply for %s', (_name, d) => {
    for (const m of messagesOf(renderThreadReplies(d, opts))) expectSlackAccepts(m);
  });

  it('honours a smaller inline budget', () => {
    const replies = renderThreadReplies(withLogs(crashLoop, longLog(10)), { inlineLogLines: 20, maxInlineChars: 200 });
    const file = replies.find((r) => r.kind === 'file');
    if (file?.kind !== 'file') throw new Error('expected a file reply');
    expect(visibleText(file.comment)).toContain('line 10 of the log\n```');
  });
});
