import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldEvents,
  formatAge,
  parseBackOffSeconds,
  parseGoDuration,
  parseImageRef,
  parseMissingConfig,
  pickLogLines,
  signalName,
} from '../../src/diagnosis/index.js';
import { ago, event, NOW } from './fixtures.js';

describe('parseBackOffSeconds reads the kubelet back-off', () => {
  it.each([
    { message: 'back-off 10s restarting failed container=app pod=web-1_prod(1234)', seconds: 10 },
    { message: 'back-off 20s restarting failed container=app pod=web-1_prod(1234)', seconds: 20 },
    { message: 'back-off 2m40s restarting failed container=app pod=web-1_prod(1234)', seconds: 160 },
    { message: 'back-off 5m0s restarting failed container=app pod=web-1_prod(1234)', seconds: 300 },
    { message: 'back-off 1h0m0s restarting failed container=app pod=x_y(z)', seconds: 3600 },
    { message: 'Back-off restarting failed container app in pod web-1_prod(1234)', seconds: undefined },
    { message: 'back-off soon restarting failed container=app', seconds: undefined },
    { message: '', seconds: undefined },
  ])('"$message" → $seconds', ({ message, seconds }) => {
    expect(parseBackOffSeconds(message)).toBe(seconds);
  });

  it.each([
    { text: '500ms', seconds: 0.5 },
    { text: '1.5s', seconds: 1.5 },
    { text: '0', seconds: 0 },
    { text: '5m', seconds: 300 },
    { text: 'm5', seconds: undefined },
    { text: '5x', seconds: undefined },
    { text: '', seconds: undefined },
  ])('Go duration "$text" is $seconds s', ({ text, seconds }) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });
});

describe('foldEvents', () => {
  it('folds repeats of the same type, reason and message, summing counts and keeping the newest age', () => {
    const folded = foldEvents(
      [
        event('Warning', 'BackOff', 'Back-off restarting failed container app', { count: 10, ageSeconds: 300 }),
        event('Normal', 'Pulled', 'Container image "x" already present', { count: 3, ageSeconds: 200 }),
        event('Warning', 'BackOff', 'Back-off restarting failed container app', { count: 5, ageSeconds: 20 }),
        event('Warning', 'BackOff', 'Back-off restarting failed container other', { count: 1, ageSeconds: 5 }),
      ],
      NOW,
    );
    expect(folded).toEqual([
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container other',
        count: 1,
        ageSeconds: 5,
        source: 'kubelet',
      },
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container app',
        count: 15,
        ageSeconds: 20,
        source: 'kubelet',
      },
      {
        type: 'Normal',
        reason: 'Pulled',
        message: 'Container image "x" already present',
        count: 3,
        ageSeconds: 200,
        source: 'kubelet',
      },
    ]);
  });

  it('reads events.k8s.io series and eventTime when the legacy fields are empty', () => {
    const [e] = foldEvents(
      [
        {
          metadata: { name: 'e' },
          involvedObject: { kind: 'Pod', name: 'p' },
          type: 'Warning',
          reason: 'Unhealthy',
          message: 'Liveness probe failed',
          eventTime: ago(600),
          series: { count: 42, lastObservedTime: ago(7) },
          reportingComponent: 'kubelet',
        },
      ],
      NOW,
    );
    expect(e).toEqual({
      type: 'Warning',
      reason: 'Unhealthy',
      message: 'Liveness probe failed',
      count: 42,
      ageSeconds: 7,
      source: 'kubelet',
    });
  });

  it('keeps events without any timestamp, last and without an age', () => {
    const folded = foldEvents(
      [
        { metadata: {}, involvedObject: {}, reason: 'Odd', message: 'no time' },
        event('Normal', 'Started', 'Started container app', { ageSeconds: 3000 }),
      ],
      NOW,
    );
    expect(folded.map((e) => [e.reason, e.ageSeconds, e.type])).toEqual([
      ['Started', 3000, 'Normal'],
      ['Odd', undefined, 'Normal'],
    ]);
  });
});

describe('pickLogLines keeps the lines that matter', () => {
  it('keeps a Java exception with its stack, not the chatter before it', () => {
    const log = [
      'INFO Starting Application v2',
      'INFO Tomcat initialized with port 8080',
      'WARN deprecated property spring.foo',
      'Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext',
      '\tat org.springframework.test.context.CacheAwareContextLoaderDelegate.loadContext(Default.java:132)',
      '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:315)',
      'Caused by: java.net.UnknownHostException: db',
      '\t... 12 more',
    ].join('\n');
    expect(pickLogLines(log)).toEqual([
      'Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext',
      '\tat org.springframework.test.context.CacheAwareContextLoaderDelegate.loadContext(Default.java:132)',
      '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:315)',
      'Caused by: java.net.UnknownHostException: db',
      '\t... 12 more',
    ]);
  });

  it('keeps a Go panic and its goroutine dump', () => {
    const log =
      'listening on :8080\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b]\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d\nexit status 2\n';
    const picked = pickLogLines(log);
    expect(picked[0]).toBe('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(picked).toContain('\t/src/main.go:12 +0x1d');
    expect(picked).not.toContain('listening on :8080');
  });

  it('gives the last few lines when nothing looks like an error', () => {
    const log = Array.from({ length: 50 }, (_, i) => `step ${i}`).join('\n');
    expect(pickLogLines(log)).toEqual(['step 45', 'step 46', 'step 47', 'step 48', 'step 49']);
  });

  it('bounds a long trace to maxLines, keeping the line that opened it', () => {
    const log = [
      'Traceback (most recent call last):',
      ...Array.from({ length: 40 }, (_, i) => `  File "/app/m${i}.py", line ${i}, in f`),
      'RecursionError: maximum recursion depth exceeded',
    ].join('\n');
    const picked = pickLogLines(log, { maxLines: 6 });
    expect(picked).toHaveLength(6);
    expect(picked[picked.length - 1]).toBe('RecursionError: maximum recursion depth exceeded');
  });

  it('strips colour codes and cuts very long lines', () => {
    const picked = pickLogLines(`\x1b[31mERROR\x1b[0m ${'x'.repeat(1000)}`, { maxLineLength: 50 });
    expect(picked).toEqual([`ERROR ${'x'.repeat(43)}…`]);
  });

  it('stays bounded in lines and width for any log', () => {
    fc.assert(
      fc.property(
        // Log-shaped noise: error words, stack prefixes, escapes and line breaks among arbitrary unicode.
        fc
          .array(
            fc.oneof(
              fc.constantFrom(
                'Error: boom',
                '\n',
                '\r\n',
                '\n    at f (x.js:1:1)',
                '\x1b[31m',
                '\t',
                'panic: x',
                '((',
                '\u{1F600}',
              ),
              fc.string({ unit: 'binary', maxLength: 40 }),
            ),
            { maxLength: 80 },
          )
          .map((parts) => parts.join('')),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 2, max: 200 }),
        (text, maxLines, maxLineLength) => {
          const picked = pickLogLines(text, { maxLines, maxLineLength });
          return (
            picked.length <= maxLines &&
            picked.every((line) => Array.from(line).length <= maxLineLength && !/[\r\n\x1b]/.test(line))
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gets through megabyte lines of noise quickly', () => {
    const noise = `error ${'('.repeat(1_000_000)}\n${'a('.repeat(500_000)}\n${'x'.repeat(1_000_000)})\n`;
    const started = performance.now();
    const picked = pickLogLines(noise.repeat(3));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(picked.length).toBeGreaterThan(0);
  });

  it('returns nothing for empty logs or maxLines 0', () => {
    expect(pickLogLines('')).toEqual([]);
    expect(pickLogLines('error', { maxLines: 0 })).toEqual([]);
    expect(pickLogLines('error: a\nerror: b', { maxLines: 1 })).toEqual(['error: b']);
  });
});

describe('small parsers', () => {
  it.each([
    { image: 'nginx', ref: { registry: 'docker.io', repository: 'nginx', tag: 'latest' } },
    { image: 'nginx:1.27', ref: { registry: 'docker.io', repository: 'nginx', tag: '1.27' } },
    { image: 'acme/app:v1', ref: { registry: 'docker.io', repository: 'acme/app', tag: 'v1' } },
    { image: 'localhost:5000/app', ref: { registry: 'localhost:5000', repository: 'app', tag: 'latest' } },
    {
      image: 'ghcr.io/acme/app@sha256:abc',
      ref: { registry: 'ghcr.io', repository: 'acme/app', digest: 'sha256:abc' },
    },
    {
      image: 'registry.example.com:443/team/app:2@sha256:def',
      ref: { registry: 'registry.example.com:443', repository: 'team/app', tag: '2', digest: 'sha256:def' },
    },
  ])('parseImageRef($image)', ({ image, ref }) => {
    expect(parseImageRef(image)).toEqual(ref);
  });

  it.each([
    { message: 'configmap "a" not found', ref: { kind: 'ConfigMap', name: 'a' } },
    { message: 'secret "b" not found', ref: { kind: 'Secret', name: 'b' } },
    {
      message: 'MountVolume.SetUp failed for volume "v" : secrets "tls" not found',
      ref: { kind: 'Secret', name: 'tls' },
    },
    { message: "couldn't find key K in ConfigMap ns/c", ref: { kind: 'ConfigMap', name: 'c', key: 'K' } },
    { message: 'something else', ref: undefined },
  ])('parseMissingConfig($message)', ({ message, ref }) => {
    expect(parseMissingConfig(message)).toEqual(ref);
  });

  it.each([
    { n: 9, name: 'SIGKILL' },
    { n: 32, name: 'SIG32' },
    { n: 34, name: 'SIGRTMIN' },
    { n: 64, name: 'SIGRTMAX' },
    { n: 0, name: undefined },
    { n: 65, name: undefined },
  ])('signal $n is $name', ({ n, name }) => {
    expect(signalName(n)).toBe(name);
  });

  it.each([
    { s: 0, age: '0s' },
    { s: 59, age: '59s' },
    { s: 200, age: '3m20s' },
    { s: 900, age: '15m' },
    { s: 7500, age: '125m' },
    { s: 4 * 3600 + 300, age: '4h5m' },
    { s: 90000, age: '25h' },
    { s: 7 * 86400 + 3600, age: '7d1h' },
    { s: 600, age: '10m' },
    { s: 5400, age: '90m' },
    { s: 2000000, age: '23d' },
  ])('formatAge($s) is $age', ({ s, age }) => {
    expect(formatAge(s)).toBe(age);
  });
});
