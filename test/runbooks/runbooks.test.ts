import { describe, expect, it } from 'vitest';
import { buildConfig, type Runbook } from '../../src/config/index.js';
import { matchRunbooks, RUNBOOKS_SHOWN, type RunbookSubject, renderRunbookLinks } from '../../src/runbooks/index.js';

const oom: Runbook = { match: { kind: 'OOMKilled' }, url: 'https://wiki.example.com/oom', title: 'OOM runbook' };
const payments: Runbook = {
  match: { namespace: 'payments-*', label: 'team=payments' },
  url: 'https://wiki.example.com/pay',
};
const prodOom: Runbook = { match: { kind: 'OOMKilled', namespace: 'prod' }, url: 'https://wiki.example.com/prod-oom' };

describe('matchRunbooks picks the rules whose every key fits', () => {
  it.each([
    { name: 'by finding kind', subject: { kinds: ['OOMKilled'], namespace: 'demo', labels: {} }, want: [oom] },
    {
      name: 'kind and namespace both',
      subject: { kinds: ['OOMKilled'], namespace: 'prod', labels: {} },
      want: [oom, prodOom],
    },
    {
      name: 'namespace glob and label both',
      subject: { kinds: ['ApplicationError'], namespace: 'payments-eu', labels: { team: 'payments' } },
      want: [payments],
    },
    {
      name: 'namespace fits, label does not',
      subject: { kinds: [], namespace: 'payments-eu', labels: { team: 'search' } },
      want: [],
    },
    { name: 'nothing fits', subject: { kinds: ['ImagePull'], namespace: 'demo', labels: {} }, want: [] },
  ] as { name: string; subject: RunbookSubject; want: Runbook[] }[])('$name', ({ subject, want }) => {
    expect(matchRunbooks([oom, payments, prodOom], subject)).toEqual(want);
  });

  it('a rule without keys matches nothing, and one URL shows once', () => {
    const empty = { match: {}, url: 'https://x.example' } as Runbook;
    expect(
      matchRunbooks([empty, oom, { ...oom, title: 'again' }], { kinds: ['OOMKilled'], namespace: 'a', labels: {} }),
    ).toEqual([oom]);
  });
});

describe('renderRunbookLinks', () => {
  it('links each runbook by its title, or its URL', () => {
    expect(renderRunbookLinks([oom, payments]).elements[0].text).toBe(
      ':book: Runbooks: <https://wiki.example.com/oom|OOM runbook> · <https://wiki.example.com/pay|https://wiki.example.com/pay>',
    );
    expect(renderRunbookLinks([])).toBeUndefined();
  });
  it(`shows at most ${RUNBOOKS_SHOWN}, and nothing in a title can end the link or ping anyone`, () => {
    const many = Array.from({ length: 9 }, (_, i) => ({
      ...oom,
      url: `https://x.example/${i}`,
      title: 'a|b <!here> & c',
    }));
    const text: string = renderRunbookLinks(many).elements[0].text;
    expect(text.match(/<https/g)).toHaveLength(RUNBOOKS_SHOWN);
    expect(text).not.toContain('<!here>');
    expect(text).toContain('|ab !here &amp; c>');
  });
});

describe('runbooks in debugdead.yaml', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DEBUGDEAD_SIGNING_KEY: 'k'.repeat(32) };
  it('defaults to none and takes rules by kind, namespace and label', () => {
    const none = buildConfig({}, env);
    expect(none.ok && none.config.runbooks).toEqual([]);
    const some = buildConfig({ runbooks: [oom, payments] }, env);
    expect(some.ok && some.config.runbooks).toEqual([oom, payments]);
  });
  it.each([
    { runbooks: [{ match: { kind: 'OOMKilled' } }], error: 'runbooks[0].url: required' },
    {
      runbooks: [{ match: {}, url: 'https://x.example' }],
      error: 'runbooks[0].match: expected kind, namespace or label',
    },
    {
      runbooks: [{ match: { kind: 'OOMKilled' }, url: 'https://x.example/a b|c' }],
      error: /runbooks\[0\]\.url: expected an http\(s\) URL/,
    },
    {
      runbooks: [{ match: { label: 'team' }, url: 'https://x.example' }],
      error: /runbooks\[0\]\.match\.label: expected a pod label as key=value/,
    },
  ])('refuses $error', ({ runbooks, error }) => {
    const built = buildConfig({ runbooks }, env);
    expect(built.ok).toBe(false);
    expect(built.ok ? [] : built.errors).toContainEqual(
      typeof error === 'string' ? error : expect.stringMatching(error),
    );
  });
});
