import { describe, expect, it } from 'vitest';
import { parseLogRequest } from './parse-log-request.js';

const NOW = Date.parse('2026-12-07T04:00:00Z');

describe('reading a kubelet containerLogs URL', () => {
  it.each([
    ['/containerLogs/default/web/app', { container: 'app' }, false],
    [
      '/containerLogs/default/web/app?previous=true&tailLines=5',
      { container: 'app', previous: true, tailLines: 5 },
      false,
    ],
    [
      '/containerLogs/default/web/app?limitBytes=100&timestamps=true&sinceSeconds=60&follow=true',
      { container: 'app', limitBytes: 100, timestamps: true, sinceSeconds: 60 },
      true,
    ],
    ['/containerLogs/default/web/app?previous=false', { container: 'app' }, false],
    ['/containerLogs/default/web/app?sinceTime=2026-12-07T03:59:00Z', { container: 'app', sinceSeconds: 60 }, false],
    ['/containerLogs/default/web/app?sinceTime=2026-12-07T05:00:00Z', { container: 'app', sinceSeconds: 0 }, false],
  ])('%s', (url, params, follow) => {
    expect(parseLogRequest(url, NOW)).toEqual({ ok: true, namespace: 'default', pod: 'web', params, follow });
  });

  it.each([
    ['/containerLogs/default/web', 404],
    ['/pods', 404],
    ['/containerLogs/default/web/app/extra', 404],
    ['/containerLogs/default/web/app?tailLines=ten', 400],
    ['/containerLogs/default/web/app?limitBytes=1.5', 400],
    ['/containerLogs/default/web/app?sinceTime=yesterday', 400],
  ])('refuses %s with %i', (url, status) => {
    expect(parseLogRequest(url, NOW)).toMatchObject({ ok: false, status });
  });
});
