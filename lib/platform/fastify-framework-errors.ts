import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SocketReply } from './client-error-listener.js';

/**
 * Paths Fastify's router can turn away before any hook runs: those with a `%` (a malformed
 * %-escape: 400 FST_ERR_BAD_URL) or longer than its default `maxParamLength` (a path parameter
 * over it: 414 FST_ERR_MAX_PARAM_LENGTH). Every other request goes straight to Fastify.
 */
const SHORTEST_TOO_LONG = 101;

type WriteHead = (status: number, ...rest: unknown[]) => ServerResponse;
type End = (...args: unknown[]) => ServerResponse;
/** A response whose `writeHead` and `end` may be overridden for one call. */
type Trappable = { writeHead?: WriteHead; end?: End };

/**
 * On Fastify, answers the errors its router sends itself, before any hook and past any error
 * handler an app can set — `{"statusCode":400,"code":"FST_ERR_BAD_URL",…}` echoing the path,
 * without a request id — with `answer(status, request)` instead. Returns false on other
 * platforms (Express' router errors reach the exception filter) or when the server's request
 * listener is not the one Fastify installs.
 *
 * Fastify's request listener is wrapped: for a path it could reject, the response's `writeHead`
 * is watched while Fastify routes the request (synchronously), and a 400 or 414 written to a
 * request that never reached the library's request hook is replaced by `answer`'s.
 */
export function answerFastifyFrameworkErrors(
  adapter: { getType(): string; getHttpServer(): unknown },
  reachedHooks: (request: IncomingMessage) => boolean,
  answer: (status: number, request: IncomingMessage) => SocketReply | undefined,
): boolean {
  if (adapter.getType() !== 'fastify') return false;
  const server = adapter.getHttpServer() as EventEmitter;
  const listeners = server.listeners('request');
  if (listeners.length !== 1) return false;
  const fastify = listeners[0] as (request: IncomingMessage, response: ServerResponse) => void;
  server.removeListener('request', fastify);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    if (url.length < SHORTEST_TOO_LONG && !url.includes('%')) {
      fastify(request, response);
      return;
    }
    const watched = response as unknown as Trappable;
    watched.writeHead = (status, ...rest) => {
      delete watched.writeHead;
      const reply =
        (status === 400 || status === 414) && !reachedHooks(request)
          ? answer(status, request)
          : undefined;
      if (!reply) return response.writeHead(status, ...(rest as []));
      const payload = Buffer.from(reply.payload);
      response.writeHead(reply.status, { ...reply.headers, 'Content-Length': payload.length });
      // Fastify's own body, which echoes the path, is dropped.
      watched.end = () => {
        delete watched.end;
        return response.end(payload);
      };
      return response;
    };
    try {
      fastify(request, response);
    } finally {
      // Fastify routed the request without rejecting it: later writes are the app's.
      delete watched.writeHead;
    }
  });
  return true;
}
