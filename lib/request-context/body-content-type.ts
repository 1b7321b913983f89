import type { IncomingMessage } from 'node:http';
import { ApiException } from '../errors/api.exception.js';

/** True when the request carries a body (a length above zero, or a chunked transfer). */
export function hasBody(request: IncomingMessage): boolean {
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

/**
 * True when a body, if there is one, is sent as is: without a Content-Encoding, or `identity`.
 * Express' body-parser would inflate gzip, deflate and br while Fastify reads the compressed
 * bytes as they are; neither answer can be the same on both, so no coding is accepted.
 */
export function hasNoContentCoding(request: IncomingMessage): boolean {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || !hasBody(request)) return true;
  return encoding.split(',').every((coding) => {
    const name = coding.trim().toLowerCase();
    return name === '' || name === 'identity';
  });
}

/**
 * The 415 a request body gets before anything parses it, or undefined when it is acceptable:
 * a Content-Encoding (RFC 9110 §15.5.16: the 415 names the accepted codings in
 * Accept-Encoding), or a media type or charset not in `accepted`.
 */
export function bodyRejection(
  request: IncomingMessage,
  accepted: readonly string[],
): ApiException | undefined {
  if (!hasNoContentCoding(request)) {
    return new ApiException(
      'unsupported_media_type',
      'The request body must be sent without a Content-Encoding',
      { headers: { 'Accept-Encoding': 'identity' } },
    );
  }
  if (!isAcceptedBodyContentType(request, accepted))
    return new ApiException('unsupported_media_type');
  return undefined;
}
