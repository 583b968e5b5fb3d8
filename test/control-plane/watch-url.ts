import { request } from 'node:https';
import type { ClientTls } from './request-url.js';

/** One line of a watch stream: `{"type":"ADDED","object":{...}}`. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

export interface WatchHandle {
  /** Resolves when the stream ends: closed by the server (its watch timeout), by `stop`, or by a transport error. */
  done: Promise<{ status: number; error?: Error }>;
  stop(): void;
}

/**
 * Opens a watch (`?watch=1`) on an https URL and calls `onEvent` per newline-delimited JSON event, as client-go's
 * StreamWatcher reads it. A non-200 answer ends at once with its status; the caller lists and watches again.
 */
export function watchUrl(url: string, tls: ClientTls, onEvent: (event: WatchEvent) => void): WatchHandle {
  let stopped = false;
  let finish: (r: { status: number; error?: Error }) => void = () => {};
  const done = new Promise<{ status: number; error?: Error }>((resolve) => {
    finish = resolve;
  });
  const req = request(
    url,
    { method: 'GET', headers: { accept: 'application/json' }, ca: tls.ca, cert: tls.cert, key: tls.key },
    (res) => {
      const status = res.statusCode ?? 0;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (status !== 200 || stopped) return;
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('end', () => finish({ status }));
      res.on('error', (error) => finish({ status, error }));
      res.on('close', () => finish({ status }));
    },
  );
  req.on('error', (error) => finish({ status: 0, error }));
  req.end();
  return {
    done,
    stop: () => {
      stopped = true;
      req.destroy();
      finish({ status: 0 });
    },
  };
}
