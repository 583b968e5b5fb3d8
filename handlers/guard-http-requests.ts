import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { checkSlackBody, type SeenSignatures, verifySlackSignature } from '../src/ingress/index.js';

export interface HttpGuardDeps {
  signingSecret: string;
  seen: SeenSignatures;
  log: Logger;
  now: () => Date;
  /** Larger bodies are refused with 413. @defaultValue 1 MiB (Slack's payloads are a few tens of kilobytes) */
  bodyLimitBytes?: number;
}

/**
 * Stands in front of Bolt's HTTPReceiver: a request reaches Bolt only when its signature is valid, its timestamp
 * within five minutes either way, its signature not seen before, and its body one of the shapes Slack sends. Every
 * other request gets a 4xx and a log line, and nothing it contains can throw inside Bolt.
 */
export function guardHttpRequests(bolt: RequestListener, deps: HttpGuardDeps): RequestListener {
  const limit = deps.bodyLimitBytes ?? 1024 * 1024;
  const log = deps.log.child({ component: 'http-guard' });
  return (req, res) => {
    if (req.method !== 'POST') {
      bolt(req, res);
      return;
    }
    guard(req, res).catch((err) => {
      log.error({ err }, 'could not check an HTTP request');
      answer(res, 500);
    });
  };

  async function guard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, limit);
    if (raw === undefined) return answer(res, 413);
    const rawBody = raw.toString('utf8');
    const shape = checkSlackBody(header(req, 'content-type'), rawBody);
    // ssl_check carries no signature (Slack "Implementing slash commands"); Bolt answers it and strips the rest.
    if (!(shape.ok && shape.kind === 'ssl_check')) {
      const nowMs = deps.now().getTime();
      const signed = verifySlackSignature(
        deps.signingSecret,
        { rawBody, timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') },
        nowMs,
      );
      if (!signed.ok) return refuse(res, 401, signed.reason);
      if (!shape.ok) return refuse(res, 400, shape.reason);
      let first: boolean;
      try {
        first = await deps.seen.first(signed.signature, signed.staleAfterSec, nowMs);
      } catch (err) {
        // Without Redis a replay cannot be told apart: refuse, as every other action needs Redis too.
        log.error({ err }, 'could not check the request for a replay');
        return answer(res, 503);
      }
      if (!first) return refuse(res, 401, 'signature already used (a replay)');
    }
    // Bolt reads a body already buffered on the request as `rawBody` instead of the consumed stream.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    bolt(req, res);
  }

  function refuse(res: ServerResponse, status: number, reason: string): void {
    log.warn({ status, reason }, 'HTTP request refused');
    answer(res, status);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain' }).end();
}

/** The whole body, or undefined past `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
