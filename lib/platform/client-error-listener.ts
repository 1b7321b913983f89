import type { EventEmitter } from 'node:events';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A reply written straight to a socket: status, headers and a serialised body. */
export interface SocketReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Answers what Node's HTTP server raises before any framework sees a request — a request it
 * cannot parse (400), headers over the size limit (431), a request that took longer than
 * `requestTimeout` or `headersTimeout` (408) — with `answer(error.code)`, where the socket still
 * allows a reply: it is writable and no byte of a response has been sent on it. The connection
 * is closed afterwards, as Node does.
 *
 * Both platforms run on a Node server, so this is the one place for both. The listener goes
 * first: Fastify's own handler, which writes a body of its own, then finds the socket
 * destroyed and leaves it.
 */
export function answerClientErrors(
  server: EventEmitter,
  answer: (code: string | undefined) => SocketReply | undefined,
): void {
  server.prependListener('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (socket.destroyed) return;
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      const reply = answer(error.code);
      if (reply) socket.write(serialise(reply));
    }
    socket.destroy(error);
  });
}

function serialise({ status, headers, payload }: SocketReply): Buffer {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  for (const name of Object.keys(headers)) {
    // Values come sanitised from rendering; names from a custom format are checked here.
    if (HEADER_NAME.test(name)) head += `${name}: ${headers[name]}\r\n`;
  }
  const body = Buffer.from(payload);
  head += `Date: ${new Date().toUTCString()}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
