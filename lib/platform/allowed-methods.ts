import type { IncomingMessage } from 'node:http';

/**
 * The methods Nest can route, in the order an `Allow` header lists them. Fastify is asked about
 * each; Express' routes name theirs.
 */
const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'SEARCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
] as const;

interface FastifyRouter {
  findRoute(options: { method: string; url: string }): unknown;
}

interface ExpressLayer {
  route?: { methods?: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods the app's routes answer at the request's path, in a fixed order, HEAD wherever
 * GET is (both platforms answer HEAD from a GET route); empty when no route has the path.
 * Asked only for a request no route matched, so a path that exists with other methods is
 * answered 405 with `Allow` (RFC 9110 §15.5.6) instead of 404. The cost is one router lookup
 * per method on Fastify, one match per route on Express: what routing itself costs.
 */
export function allowedMethods(instance: unknown, request: IncomingMessage): string[] {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const found = new Set<string>();
  const fastify = instance as Partial<FastifyRouter> | undefined;
  if (typeof fastify?.findRoute === 'function') {
    for (const method of METHODS) {
      if (fastify.findRoute({ method, url: path })) found.add(method);
    }
  } else {
    const stack = (instance as { router?: { stack?: ExpressLayer[] } } | undefined)?.router?.stack;
    for (const layer of stack ?? []) {
      const methods = layer.route?.methods;
      if (methods === undefined || !layer.match(path)) continue;
      for (const method in methods) if (methods[method]) found.add(method.toUpperCase());
    }
  }
  if (found.has('GET')) found.add('HEAD');
  return METHODS.filter((method) => found.has(method));
}
