import { describe, expect, it } from 'vitest';
import { KubeError, toKubeError } from '../../src/kube/index.js';

const ctx = { operation: 'reading pod demo/web-1', server: 'https://10.0.0.1:6443', timeoutMs: 5000 };

function errno(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:6443`), { code });
}

// What undici's fetch throws: TypeError('fetch failed') whose cause is the socket error, sometimes an AggregateError
// of one error per address tried.
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

describe('toKubeError on failures below HTTP', () => {
  it.each([
    ['connection refused', fetchFailed(errno('ECONNREFUSED')), 'Unavailable', 'connection refused'],
    [
      'refused on every address tried',
      fetchFailed(new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')])),
      'Unavailable',
      'connection refused',
    ],
    ['unknown host', fetchFailed(errno('ENOTFOUND')), 'Unavailable', 'host not found'],
    ['untrusted certificate', fetchFailed(errno('SELF_SIGNED_CERT_IN_CHAIN')), 'Unavailable', 'not trusted'],
    ['connect timeout', fetchFailed(errno('UND_ERR_CONNECT_TIMEOUT')), 'Timeout', 'within 5000 ms'],
    [
      'our own deadline',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'Timeout',
      'within 5000 ms',
    ],
  ] as const)('%s → %s', (_name, err, kind, words) => {
    const k = toKubeError(err, ctx);
    expect(k.kind).toBe(kind);
    expect(k.message).toContain(words);
    expect(k.message.startsWith('reading pod demo/web-1: ')).toBe(true);
    expect(k.cause).toBe(err);
  });

  it('leaves a KubeError as it is', () => {
    const e = new KubeError('NotFound', 404, 'pods "web-1" not found');
    expect(toKubeError(e, ctx)).toBe(e);
  });

  it('a kind survives JSON, so jobs and audit records can test it', () => {
    const e = toKubeError(fetchFailed(errno('ECONNREFUSED')), ctx);
    expect(JSON.parse(JSON.stringify({ kind: e.kind, status: e.status, message: e.message }))).toEqual({
      kind: 'Unavailable',
      message: 'reading pod demo/web-1: cannot reach the Kubernetes API at https://10.0.0.1:6443 (connection refused)',
    });
  });
});
