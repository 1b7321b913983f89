import type { IncomingMessage } from 'node:http';

/** True when the request carries a body (a length above zero, or a chunked transfer). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Decides whether a request body's media type and charset are acceptable. Bodiless requests
 * always are. Media types match exactly (the platform's parser must accept each one listed);
 * only UTF-8 is accepted as a charset (RFC 8259 §8.1).
 */
export function isAcceptedBodyContentType(
  request: IncomingMessage,
  accepted: readonly string[],
): boolean {
  if (!hasBody(request)) return true;
  const header = request.headers['content-type'];
  if (header === undefined) return false;
  const [rawType, ...params] = header.split(';');
  const type = rawType.trim().toLowerCase();
  if (!accepted.includes(type)) return false;
  for (const param of params) {
    const [name, value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}
