import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Client TLS material (PEM text) for an https URL. */
export interface ClientTls {
  ca?: string;
  cert?: string;
  key?: string;
  /** Skip server verification: the scheduler's and controller manager's self-signed serving certificates. */
  insecure?: boolean;
}

export interface UrlResponse {
  status: number;
  body: string;
}

/**
 * One HTTP(S) request with an optional JSON body; never throws on an HTTP status (callers read it), only on a
 * transport failure or after `timeoutMs`.
 */
export function requestUrl(
  method: string,
  url: string,
  options: {
    tls?: ClientTls;
    body?: unknown;
    contentType?: string;
    timeoutMs?: number;
    /** The API server names a write's field manager after the agent's first word (`kubelet/v1.37.2 …` → kubelet). */
    userAgent?: string;
  } = {},
): Promise<UrlResponse> {
  return new Promise((resolve, reject) => {
    const https = url.startsWith('https:');
    const tls = options.tls ?? {};
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method,
        timeout: options.timeoutMs ?? 5_000,
        headers: {
          accept: 'application/json',
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
          ...(payload === undefined
            ? {}
            : {
                'content-type': options.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
        },
        ...(https ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
