import { createHash } from 'node:crypto';

const KEY = /^[A-Za-z0-9_\-:.]{1,255}$/;

/**
 * The key of an `Idempotency-Key` header value: 1–255 characters of `[A-Za-z0-9_-:.]`, bare or as
 * a Structured Field string (`"abc"`, RFC 8941 §3.3.3; draft-ietf-httpapi-idempotency-key-header).
 * Undefined when the value is not such a key.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const key =
    value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return KEY.test(key) ? key : undefined;
}

/**
 * Object keys sorted, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. The copy
 * has no prototype, so that `__proto__` is a key like any other: on a plain object, assigning it
 * would set the copy's prototype and drop the key from the JSON.
 */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort())
    sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/**
 * What makes two requests "the same": method, route template and the canonical JSON of the
 * body, hashed. Throws a RangeError for a body too deeply nested to serialise.
 */
export function requestFingerprint(method: string, route: string, body: unknown): string {
  const canonical = body === undefined ? '' : JSON.stringify(body, sortKeys);
  return createHash('sha256').update(`${method}\n${route}\n${canonical}`).digest('hex');
}
