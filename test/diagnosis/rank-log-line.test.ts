import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAround } from '../../src/diagnosis/cut-around.js';
import { pickLogLines } from '../../src/diagnosis/pick-log-lines.js';
import { findTellingLine, pickTellingLine } from '../../src/diagnosis/pick-telling-line.js';
import { rankLogLine } from '../../src/diagnosis/rank-log-line.js';

describe('rankLogLine: severity in plain text, JSON and logfmt', () => {
  it.each([
    {
      line: 'level=error ts=2024-01-01T00:00:00Z msg="sync failed" err="boom"',
      severity: 2,
      text: 'sync failed: boom',
    },
    { line: 'level=fatal msg="cannot start"', severity: 3, text: 'cannot start' },
    { line: 'time="2024-01-01T00:00:00Z" level=warning msg="slow disk"', severity: 1, text: 'slow disk' },
    { line: 'level=info msg="listening on :8080"', severity: 0, text: 'listening on :8080' },
    {
      line: '{"level":"error","msg":"cannot open ledger","error":"read-only"}',
      severity: 2,
      text: 'cannot open ledger: read-only',
    },
    { line: '{"level":50,"msg":"db down"}', severity: 2, text: 'db down' },
    { line: '{"level":60,"msg":"giving up"}', severity: 3, text: 'giving up' },
    { line: '{"severity":"CRITICAL","message":"disk full"}', severity: 3, text: 'disk full' },
    { line: 'E1207 12:00:00.000000       1 reflector.go:178] Failed to list *v1.Pod', severity: 2 },
    { line: 'F1207 12:00:00.000000       1 main.go:67] port 80 is already in use', severity: 3 },
    { line: '2024-01-01 10:00:00 ERROR [main] boom', severity: 2 },
    { line: '[2024-01-01 10:00:00 +0000] [7] [ERROR] Exception in worker process', severity: 2 },
    { line: 'ERROR: relation "users" does not exist', severity: 2 },
    { line: 'INFO starting', severity: 0 },
  ])('$line → severity $severity', ({ line, severity, text }) => {
    const r = rankLogLine(line);
    expect(r.severity).toBe(severity);
    if (text) expect(r.text).toBe(text);
  });
});

describe('rankLogLine: error families', () => {
  it.each([
    ['dns', 'dial tcp: lookup postgres on 10.96.0.10:53: no such host'],
    ['dns', "nslookup: can't resolve 'kubernetes'"],
    [
      'dns',
      'psycopg2.OperationalError: could not translate host name "db" to address: Temporary failure in name resolution',
    ],
    ['dns', 'Caused by: java.net.UnknownHostException: db.demo.svc'],
    ['dns', 'Error: getaddrinfo ENOTFOUND redis'],
    ['dns', "** server can't find redis.svc.cluster.local: NXDOMAIN"],
    ['dns', 'could not translate host name "db" to address: Name or service not known'],
    ['connection', 'Error: connect ECONNREFUSED 10.96.14.7:5432'],
    ['connection', 'dial tcp 10.0.0.7:5432: connect: connection refused'],
    ['connection', 'read tcp 10.1.1.1:443->10.2.2.2:5000: read: connection reset by peer'],
    ['connection', 'dial tcp 10.43.0.1:443: i/o timeout'],
    ['connection', 'listen tcp 0.0.0.0:10252: bind: address already in use'],
    ['tls', 'x509: certificate signed by unknown authority'],
    ['tls', 'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed'],
    ['tls', 'javax.net.ssl.SSLHandshakeException: PKIX path building failed'],
    ['permission', "mkdir: cannot create directory '/data': Permission denied"],
    ['permission', "Error: EACCES: permission denied, open '/app/cache.json'"],
    ['filesystem', 'open /prometheus/wal/00000500: no space left on device'],
    ['filesystem', 'mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)'],
    ['filesystem', 'open /etc/loki/loki.yaml: no such file or directory'],
    ['oom', 'java.lang.OutOfMemoryError: Java heap space'],
    ['oom', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
    ['panic', 'panic: runtime error: invalid memory address or nil pointer dereference'],
    ['panic', "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:4:5"],
    ['missing-config', 'Environment variable SECRET_KEY must be set'],
    ['missing-config', 'DATABASE_URL is not set'],
    ['missing-config', "KeyError: 'STRIPE_API_KEY'"],
    ['missing-config', 'key not found: "SECRET_KEY_BASE" (KeyError)'],
    ['missing-config', 'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.'],
    ['missing-config', 'java.lang.IllegalArgumentException: Could not resolve placeholder \'DB_URL\' in value "x"'],
    ['missing-config', "ArgumentError: Missing `secret_key_base` for 'production' environment"],
    ['dns', 'nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:12'],
    [
      'missing-config',
      "Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.",
    ],
    ['missing-config', "thread 'main' panicked at 'DATABASE_URL must be set: NotPresent', src/main.rs:10:5"],
    ['usage', 'flag provided but not defined: -port'],
    ['usage', 'Error: unknown flag: --listen-addr'],
    ['usage', 'error: unrecognized arguments: --workers=4'],
    ['limits', '[1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]'],
  ])('%s: %s', (family, line) => {
    expect(rankLogLine(line).family).toBe(family);
  });

  it('says nothing of lines that report success or just chat', () => {
    for (const line of ['starting server on :8080', 'compiled with 0 errors', 'ready to accept connections', ''])
      expect(rankLogLine(line).score, line).toBe(0);
  });
});

describe('structured lines whose cause sits in a nested field', () => {
  it("reads MongoDB's one-letter severity and the nested attr.message", () => {
    const line =
      '{"t":{"$date":"2024-01-01T00:00:00.000+00:00"},"s":"E","c":"STORAGE","id":22435,"ctx":"initandlisten","msg":"WiredTiger error","attr":{"error":13,"message":"[1704067200:1][1:0x7f], wiredtiger_open: __posix_open_file, 805: /data/db/WiredTiger.wt: handle-open: open: Permission denied"}}';
    const r = rankLogLine(line);
    expect(r.severity).toBe(2);
    expect(r.family).toBe('permission');
    expect(r.text).toMatch(/^WiredTiger error: .*Permission denied$/);
  });
});

describe('the telling line', () => {
  it('passes over banners and bare words for the line that states the error', () => {
    expect(
      pickTellingLine([
        '2024-01-01T00:00:00.000000Z 0 [ERROR] [MY-010457] [Server] --initialize specified but the data directory has files in it. Aborting.',
        '2024-01-01T00:00:00.000000Z 0 [ERROR] [MY-010119] [Server] Aborting',
      ]),
    ).toMatch(/data directory has files in it/);
    expect(
      pickTellingLine([
        '*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***',
        'Reading the configuration file, at line 2',
        ">>> 'requirepass'",
        'wrong number of arguments',
      ]),
    ).toBe('wrong number of arguments');
  });

  it('finds the cause after a bootstrap-check banner and a usage dump', () => {
    expect(
      pickTellingLine([
        'ERROR: [1] bootstrap checks failed. You must address the points described in the following [1] lines before starting Elasticsearch.',
        'bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]',
        'ERROR: Elasticsearch did not exit normally - check the logs at /usr/share/elasticsearch/logs/docker-cluster.log',
      ]),
    ).toMatch(/vm\.max_map_count \[65530\] is too low/);
    expect(
      pickTellingLine([
        'flag provided but not defined: -port',
        'Usage of /app:',
        '  -addr string',
        '    \tlisten address (default ":8080")',
      ]),
    ).toBe('flag provided but not defined: -port');
  });

  it('prefers a missing variable over a louder line of no consequence', () => {
    const lines = [
      'ERROR [telemetry] failed to flush 12 events: connect ETIMEDOUT 34.120.1.1:443',
      'config: DATABASE_URL is not set',
      'exiting',
    ];
    expect(pickTellingLine(lines)).toBe('config: DATABASE_URL is not set');
  });

  it('prefers the last of equally telling lines: the error right before the exit', () => {
    const lines = [
      'Error: connect ECONNREFUSED 10.0.0.1:5432',
      'retrying in 1s',
      'Error: connect ECONNREFUSED 10.0.0.2:5432',
    ];
    expect(findTellingLine(lines)?.index).toBe(2);
  });

  it('reads logfmt error lines, not only the word "error"', () => {
    const lines = [
      'level=info msg="loading rules"',
      'level=error msg="opening storage failed" err="lock DB directory: resource temporarily unavailable"',
      'level=info msg="See you next time!"',
    ];
    expect(pickTellingLine(lines)).toBe('opening storage failed: lock DB directory: resource temporarily unavailable');
  });

  it('keeps DNS and connection failures among the evidence lines', () => {
    const log = ['starting', 'waiting for db', "nslookup: can't resolve 'db'", 'waiting for db'].join('\n');
    expect(pickLogLines(log)).toContain("nslookup: can't resolve 'db'");
  });

  it('cuts a long evidence line around its cause instead of at its start', () => {
    const line = `msg="server exited" ${'component=http '.repeat(40)} error="listen tcp :8080: bind: address already in use"`;
    const [kept] = pickLogLines(line, { maxLineLength: 120 });
    expect(kept).toContain('address already in use');
    expect(Array.from(kept ?? '').length).toBeLessThanOrEqual(120);
  });
});

describe('cutAround', () => {
  it('keeps the phrase at the end of a long line', () => {
    const text = `${'x'.repeat(300)} connection refused`;
    const phrase = { start: text.indexOf('connection refused'), length: 'connection refused'.length };
    const cut = cutAround(text, 80, phrase);
    expect(cut).toMatch(/^….*connection refused$/);
  });

  it('never exceeds the width and keeps any phrase that fits', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.nat(399),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 3, max: 200 }),
        (raw, at, len, max) => {
          const text = raw.replace(/\s/g, 'x');
          const start = Math.min(at, Math.max(0, text.length - 1));
          const phrase = { start, length: Math.min(len, text.length - start) };
          const out = cutAround(text, max, phrase);
          expect(Array.from(out).length).toBeLessThanOrEqual(max);
          const words = text.slice(phrase.start, phrase.start + phrase.length);
          if (words.length > 0 && Array.from(words).length <= max - 2 && words === Array.from(words).join(''))
            expect(out).toContain(words);
        },
      ),
    );
  });
});
