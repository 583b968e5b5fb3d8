import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, USAGE } from '../../src/command/index.js';

describe('parseCommand understands the /debugdead grammar', () => {
  it.each([
    { text: 'web-1', parsed: { kind: 'diagnose', pod: 'web-1' } },
    { text: 'web-1 prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'prod/web-1', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 -n prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: '-n prod web-1', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 --namespace prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 --namespace=prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 -c app', parsed: { kind: 'diagnose', pod: 'web-1', container: 'app' } },
    {
      text: 'web-1 --container=app -n prod',
      parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod', container: 'app' },
    },
    { text: 'prod/web-1 -c app', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod', container: 'app' } },
    { text: 'prod/web-1 -n prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: '  web-1\u00a0 prod  ', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 \u2014namespace prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'web-1 \u2013n prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'api.v2-7d9f8b6c4d-x2x9q', parsed: { kind: 'diagnose', pod: 'api.v2-7d9f8b6c4d-x2x9q' } },
    { text: `${'a'.repeat(253)}`, parsed: { kind: 'diagnose', pod: 'a'.repeat(253) } },
    { text: `web-1 ${'n'.repeat(63)}`, parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'n'.repeat(63) } },
    { text: '', parsed: { kind: 'help' } },
    { text: '   ', parsed: { kind: 'help' } },
    { text: 'help', parsed: { kind: 'help' } },
    { text: 'HELP', parsed: { kind: 'help' } },
    { text: '--help', parsed: { kind: 'help' } },
    { text: '-h', parsed: { kind: 'help' } },
    { text: '<http://web.v2|web.v2> prod', parsed: { kind: 'diagnose', pod: 'web.v2', namespace: 'prod' } },
    { text: '<http://api.example.com>', parsed: { kind: 'diagnose', pod: 'api.example.com' } },
    { text: 'audit', parsed: { kind: 'audit' } },
    { text: 'audit web-1', parsed: { kind: 'audit', filter: { pod: 'web-1' } } },
    { text: 'audit <@U123ABC|alice>', parsed: { kind: 'audit', filter: { user: 'U123ABC' } } },
    { text: 'audit <@W42>', parsed: { kind: 'audit', filter: { user: 'W42' } } },
    { text: 'audit 20', parsed: { kind: 'audit', filter: { limit: 20 } } },
    { text: 'audit web-1 50', parsed: { kind: 'audit', filter: { pod: 'web-1', limit: 50 } } },
  ])('"$text"', ({ text, parsed }) => {
    expect(parseCommand(text)).toEqual(parsed);
  });
});

describe('parseCommand explains what is wrong with a bad command', () => {
  it.each([
    { text: 'Web-1', problem: '`Web-1` is not a valid pod name: Kubernetes names are lowercase.' },
    { text: 'demo/', problem: 'An empty name is not a valid pod name: it is empty.' },
    {
      text: 'web_1',
      problem:
        "`web_1` is not a valid pod name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
    },
    { text: '-web', problem: 'Unknown option `-web`: only -n/--namespace and -c/--container are understood.' },
    {
      text: 'web- prod',
      problem:
        "`web-` is not a valid pod name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
    },
    {
      text: 'web-1 prod.eu',
      problem:
        "`prod.eu` is not a valid namespace: use lowercase letters, digits and '-', starting and ending with a letter or digit.",
    },
    { text: `${'a'.repeat(254)}`, problem: expect.stringMatching(/too long: at most 253 characters/) },
    {
      text: `web-1 ${'n'.repeat(64)}`,
      problem: expect.stringMatching(/^namespace `n+…?` is too long: at most 63 characters/),
    },
    { text: 'web-1 -c App', problem: '`App` is not a valid container name: Kubernetes names are lowercase.' },
    { text: 'web-1 prod extra', problem: 'Too many arguments: `extra` (expected a pod and an optional namespace).' },
    { text: 'web-1 -n', problem: '-n needs a namespace name after it.' },
    { text: 'web-1 -n -c app', problem: '-n needs a namespace name after it.' },
    { text: 'web-1 --container=', problem: '--container needs a container name after it.' },
    { text: 'web-1 -x 1', problem: 'Unknown option `-x`: only -n/--namespace and -c/--container are understood.' },
    {
      text: 'web-1 --follow',
      problem: 'Unknown option `--follow`: only -n/--namespace and -c/--container are understood.',
    },
    { text: 'web-1 -n a -n b', problem: 'The namespace is given twice (`a` and `b`).' },
    { text: 'web-1 prod -n staging', problem: 'The namespace is given twice (`prod` and `staging`).' },
    { text: 'prod/web-1 staging', problem: 'The namespace is given twice (`prod` and `staging`).' },
    { text: 'a/b/c', problem: '`a/b/c` is not <namespace>/<pod>.' },
    { text: '/web-1', problem: 'An empty name is not a valid namespace: it is empty.' },
    { text: '-n prod', problem: 'Name the pod to diagnose.' },
    { text: 'help me', problem: 'help takes no arguments (got `me`).' },
    { text: 'audit 0', problem: 'Ask for between 1 and 1000 audit records, not 0.' },
    { text: 'audit 5000', problem: 'Ask for between 1 and 1000 audit records, not 5000.' },
    { text: 'audit 5 6', problem: 'Audit takes one number (how many records).' },
    { text: 'audit @alice', problem: 'Mention the user (`@alice` as a real @-mention) so Slack sends their id.' },
    { text: 'audit <@U1> <@U2>', problem: 'Audit takes one user at a time.' },
    { text: 'audit a b', problem: 'Audit takes one pod at a time (`a` and `b`).' },
    { text: 'audit Web', problem: '`Web` is not a valid pod name: Kubernetes names are lowercase.' },
    { text: 'web-1 `prod`', problem: expect.stringMatching(/^`prod` is not a valid namespace/) },
  ])('"$text"', ({ text, problem }) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid', problem });
  });
});

describe('parseCommand on any input', () => {
  it('never throws and always answers one of the four kinds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc
            .array(
              fc.constantFrom(
                'web-1',
                'prod',
                '-n',
                '-c',
                '--namespace=',
                'audit',
                'help',
                '<@U1|a>',
                '7',
                '/',
                ' ',
                'A',
              ),
            )
            .map((t) => t.join(' ')),
        ),
        (text) => {
          const parsed = parseCommand(text);
          expect(['help', 'diagnose', 'audit', 'invalid']).toContain(parsed.kind);
          if (parsed.kind === 'invalid') expect(parsed.problem.length).toBeGreaterThan(5);
          if (parsed.kind === 'diagnose') {
            expect(parsed.pod).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
            if (parsed.namespace !== undefined) expect(parsed.namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps problem sentences on one line, whatever was typed', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseCommand(text);
        if (parsed.kind === 'invalid') expect(parsed.problem).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('offers a usage text that names every form', () => {
    for (const form of [
      '<pod> [namespace]',
      '<namespace>/<pod>',
      '-n <namespace>',
      '-c <container>',
      'audit',
      'help',
    ]) {
      expect(USAGE).toContain(form);
    }
  });
});
