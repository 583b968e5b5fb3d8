import { type OutboundMessage, sealMessage } from '../src/render/index.js';

type Fetch = typeof globalThis.fetch;

/**
 * The fetch Bolt uses for `respond()` (a POST of a message to the command's or action's response_url): every JSON
 * message body passes the egress boundary on its way out, so no listener, present or future, can answer a person
 * with unredacted text. Other requests pass as they are.
 */
export function sealingFetch(fetchFn: Fetch = globalThis.fetch): Fetch {
  return (input, init) => {
    const body = init?.body;
    if (typeof body !== 'string' || !body.startsWith('{') || !isJson(init?.headers)) return fetchFn(input, init);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return fetchFn(input, init);
    }
    if (!isMessage(parsed)) return fetchFn(input, init);
    return fetchFn(input, { ...init, body: JSON.stringify(sealMessage(parsed)) });
  };
}

function isMessage(value: unknown): value is OutboundMessage {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { text?: unknown; blocks?: unknown };
  return typeof v.text === 'string' || Array.isArray(v.blocks);
}

/** Whether the request says it carries JSON (respond() does; file uploads and form posts do not). */
function isJson(headers: RequestInit['headers']): boolean {
  if (!headers) return false;
  const type =
    headers instanceof Headers
      ? headers.get('content-type')
      : Array.isArray(headers)
        ? headers.find((pair) => pair[0]?.toLowerCase() === 'content-type')?.[1]
        : Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  return typeof type === 'string' && /application\/json/i.test(type);
}
