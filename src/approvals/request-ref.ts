/** Request ids are base64url (A–Z, a–z, 0–9, `-`, `_`): no `:` (BullMQ job ids and Redis key parts) and no `#`. */
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Whether a string could be a request id; anything else is refused before it reaches Redis. */
export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/** A button value: the request id, plus `#<i>` when the button picks one of the request's `containers`. */
export function formatRequestRef(id: string, index?: number): string {
  return index === undefined ? id : `${id}#${index}`;
}

/** Reads a button value back; undefined for anything that is not one of ours. */
export function parseRequestRef(value: string): { id: string; index?: number } | undefined {
  const match = /^([^#]+)(?:#(\d{1,3}))?$/.exec(value);
  if (!match || !isRequestId(match[1]!)) return undefined;
  return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, index: Number(match[2]) };
}
