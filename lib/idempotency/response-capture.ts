import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** A response as it went out: status, every header, and the body bytes. */
export interface CapturedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

type Chunk = string | Uint8Array;

function toBuffer(chunk: unknown, encoding?: unknown): Buffer | undefined {
  if (typeof chunk === 'string')
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
}

/**
 * Tees a Node response — what Express and Fastify both write to in the end — so that the exact
 * status, headers and bytes that were sent can be stored. `done` is called once: with the
 * response when it ends, or with undefined when the connection closes first or the body grows
 * past `maxBytes`.
 */
export function captureResponse(
  res: ServerResponse,
  maxBytes: number,
  done: (captured: CapturedResponse | undefined) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  let finished = false;
  let headHeaders: OutgoingHttpHeaders = {};
  const collect = (chunk: unknown, encoding?: unknown) => {
    const buffer = toBuffer(chunk, encoding);
    if (!buffer || tooLarge) return;
    size += buffer.length;
    if (size > maxBytes) tooLarge = true;
    else chunks.push(buffer);
  };
  const finish = (captured: CapturedResponse | undefined) => {
    if (finished) return;
    finished = true;
    done(captured);
  };

  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    if (headers && !Array.isArray(headers)) headHeaders = headers as OutgoingHttpHeaders;
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];

  const write = res.write;
  res.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];

  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') collect(args[0], args[1]);
    const result = (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    if (tooLarge) {
      finish(undefined);
    } else {
      const headers: Record<string, string> = {};
      const all = { ...this.getHeaders(), ...headHeaders };
      for (const [name, value] of Object.entries(all)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      finish({ status: this.statusCode, headers, body: Buffer.concat(chunks) });
    }
    return result;
  } as ServerResponse['end'];

  res.once('close', () => finish(undefined));
}
