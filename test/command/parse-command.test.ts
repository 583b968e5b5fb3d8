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
    { text: '<https://api.example.com|api.example.com>', parsed: { kind: 'diagnose', pod: 'api.example.com' } },
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
    { text: 'a/b/c', problem: '`a/b/c` is neither &lt;namespace&gt;/&lt;pod&gt; nor &lt;type&gt;/&lt;name&gt;.' },
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
                'deploy/',
                'sts',
                'pods/x',
                'jobs.batch/',
                'a/b/c',
              ),
            )
            .map((t) => t.join(' ')),
        ),
        (text) => {
          const parsed = parseCommand(text);
          expect(['help', 'diagnose', 'diagnose-workload', 'audit', 'invalid']).toContain(parsed.kind);
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
      'deploy/<name>',
      '`sts/`',
      'needs `-n`',
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

describe('parseCommand takes what was typed, never a rewrite of it', () => {
  it.each([
    ['web-1 \u2013n prod', '`\u2013n`', '`-n`'],
    ['web-1 \u2014namespace prod', '`\u2014namespace`', '`--namespace`'],
    ['api\u2013server', '`api\u2013server`', '`api-server`'],
    ['api\u2212server -n prod', '`api\u2212server`', '`api-server`'],
    ['web-1 \u2010c app', '`\u2010c`', '`-c`'],
    ['web-1 \uff0dn prod', '`\uff0dn`', '`-n`'],
    ['prod/api\u2011server', '`prod/api\u2011server`', '`prod/api-server`'],
  ])('%j is refused with the ASCII spelling as a hint', (text, shown, hint) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('invalid');
    const problem = (parsed as { problem: string }).problem;
    expect(problem).toContain(shown);
    expect(problem).toContain(`did you mean ${hint}?`);
  });

  it.each([
    ['<https://evil.example/x|api-server>'],
    ['<http://api.example.com>'],
    ['<http://api.example.com|api-server>'],
    ['<mailto:a@b.c|api-server>'],
    ['<ftp://api.example.com|api.example.com>'],
    ['web-1 -n <https://evil.example|prod>'],
  ])('a link whose label is not its own address (%j) is refused, not diagnosed by its label', (text) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect((parsed as { problem: string }).problem).toMatch(/is a link, not a Kubernetes name/);
  });

  it('a link Slack made of a dotted pod name is taken back', () => {
    expect(parseCommand('<http://api.v2.internal|api.v2.internal> -n prod')).toEqual({
      kind: 'diagnose',
      pod: 'api.v2.internal',
      namespace: 'prod',
    });
  });
});

describe('parseCommand echoes hostile input safely', () => {
  const hostile = [
    '<!channel>',
    '<!here|here>',
    '<@U0BOB>',
    '<#C0GENERAL>',
    'a&b',
    'x\u0000y',
    'bell\u0007',
    'esc\u001b[31mred',
    'csi\u009b31m',
    'rtl\u202eevil',
    'iso\u2066late',
    'zero\u200bwidth',
    'bom\ufeff',
    '`code`',
    '*bold*<https://evil.example|click>',
  ];
  it.each(hostile.map((h) => [h]))('%j never reaches the reply raw', (token) => {
    for (const text of [token, `web-1 ${token} extra`, `audit ${token}`, `web-1 -n ${token}`, `help ${token}`]) {
      const parsed = parseCommand(text);
      if (parsed.kind !== 'invalid') continue;
      expect(parsed.problem).not.toMatch(/[<>\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
      expect(parsed.problem).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it('any text at all: the problem holds no control, bidi or zero-width character and no raw < > &', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const parsed = parseCommand(text);
        if (parsed.kind !== 'invalid') return;
        expect(parsed.problem).not.toMatch(
          /[<>\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/,
        );
        expect(parsed.problem).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCommand takes workload targets as kubectl users type them', () => {
  const workload = (kind: string, name: string, rest: object = {}) => ({
    kind: 'diagnose-workload',
    workload: { kind, name },
    ...rest,
  });
  it.each([
    { text: 'deploy/checkout -n prod', parsed: workload('Deployment', 'checkout', { namespace: 'prod' }) },
    { text: 'deployment/checkout', parsed: workload('Deployment', 'checkout') },
    {
      text: 'deployments/checkout --namespace=prod',
      parsed: workload('Deployment', 'checkout', { namespace: 'prod' }),
    },
    { text: 'deployments.apps/checkout', parsed: workload('Deployment', 'checkout') },
    { text: 'Deployment/checkout', parsed: workload('Deployment', 'checkout') },
    { text: 'deploy/checkout prod', parsed: workload('Deployment', 'checkout', { namespace: 'prod' }) },
    { text: 'deploy/checkout prod -n prod', parsed: workload('Deployment', 'checkout', { namespace: 'prod' }) },
    {
      text: 'sts/db -n data -c postgres',
      parsed: workload('StatefulSet', 'db', { namespace: 'data', container: 'postgres' }),
    },
    { text: 'statefulset/db', parsed: workload('StatefulSet', 'db') },
    { text: 'statefulsets.apps/db', parsed: workload('StatefulSet', 'db') },
    { text: 'ds/fluent-bit -n kube-system', parsed: workload('DaemonSet', 'fluent-bit', { namespace: 'kube-system' }) },
    { text: 'daemonset/fluent-bit', parsed: workload('DaemonSet', 'fluent-bit') },
    { text: 'daemonsets/fluent-bit', parsed: workload('DaemonSet', 'fluent-bit') },
    { text: 'rs/web-7d9f8b6c4d', parsed: workload('ReplicaSet', 'web-7d9f8b6c4d') },
    { text: 'replicaset/web-7d9f8b6c4d', parsed: workload('ReplicaSet', 'web-7d9f8b6c4d') },
    { text: 'replicasets/web-7d9f8b6c4d', parsed: workload('ReplicaSet', 'web-7d9f8b6c4d') },
    { text: 'job/migrate-42', parsed: workload('Job', 'migrate-42') },
    { text: 'jobs/migrate-42', parsed: workload('Job', 'migrate-42') },
    { text: 'jobs.batch/migrate-42', parsed: workload('Job', 'migrate-42') },
    { text: 'pod/web-1 -n prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    { text: 'po/web-1', parsed: { kind: 'diagnose', pod: 'web-1' } },
    { text: 'pods/web-1 prod', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
    // A namespace named like a resource type is reached with -n (the usage says so).
    { text: 'migrate-1 -n jobs', parsed: { kind: 'diagnose', pod: 'migrate-1', namespace: 'jobs' } },
    { text: 'prod/web-1', parsed: { kind: 'diagnose', pod: 'web-1', namespace: 'prod' } },
  ])('"$text"', ({ text, parsed }) => {
    expect(parseCommand(text)).toEqual(parsed);
  });

  it.each([
    { text: 'deploy/checkout -n prod -n staging', problem: 'The namespace is given twice (`prod` and `staging`).' },
    { text: 'deploy/checkout prod -n staging', problem: 'The namespace is given twice (`prod` and `staging`).' },
    { text: 'deploy/', problem: 'An empty name is not a valid deployment name: it is empty.' },
    { text: 'sts/DB', problem: '`DB` is not a valid statefulset name: Kubernetes names are lowercase.' },
    {
      text: 'prod/deploy/checkout',
      problem: '`prod/deploy/checkout` is neither &lt;namespace&gt;/&lt;pod&gt; nor &lt;type&gt;/&lt;name&gt;.',
    },
    {
      text: 'deploy/checkout prod extra',
      problem: 'Too many arguments: `extra` (expected a pod and an optional namespace).',
    },
    { text: 'prod/web-1 staging', problem: 'The namespace is given twice (`prod` and `staging`).' },
  ])('"$text" is refused: $problem', ({ text, problem }) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid', problem });
  });

  it('any refusal is one clear sentence, never a crash, for any mix of types, names, slashes and flags', () => {
    const token = fc.oneof(
      fc.constantFrom('deploy', 'sts', 'ds', 'rs', 'job', 'pod', 'pods', 'Deployment', 'jobs.batch', 'prod', 'web-1'),
      fc.constantFrom('-n', '--namespace', '-c', '/', '//', '', 'A', '.', '\u2013'),
      fc.string({ maxLength: 8 }),
    );
    const word = fc.array(token, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            word,
            word.map((w) => `${w}/${w}`),
          ),
          { maxLength: 5 },
        ),
        (words) => {
          const parsed = parseCommand(words.join(' '));
          if (parsed.kind === 'invalid') {
            expect(parsed.problem).toMatch(/^\S.*[.?]$/s);
            expect(parsed.problem).not.toMatch(/[\r\n]|undefined|\[object|Error:/);
          }
          if (parsed.kind === 'diagnose-workload') {
            expect(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']).toContain(parsed.workload.kind);
            expect(parsed.workload.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
