import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { treatAsBodiless } from '../platform/platform.js';
import { bodyRejection, hasBody } from './body-content-type.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from './request-context.options.js';
import { attachRequestContext } from './request-context.store.js';
import { runWithRequestContext } from './request-context.js';

/**
 * The first thing every request meets: fixes its id (kept or generated), sends it back as a
 * header, turns away bodies that are not JSON or that carry a Content-Encoding before anything
 * parses them, treats an empty body as none, and (with `asyncContext`) opens the async context
 * app code reads the id from. Errors go to `next`.
 */
export function startRequest(
  options: ResolvedRequestContextOptions,
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const context = attachRequestContext(request, response, options.requestIdHeader);
  const accepted = options.bodyContentTypes;
  const rejection = accepted === false ? undefined : bodyRejection(request, accepted);
  if (rejection) {
    next(rejection);
    return;
  }
  // No bytes are no body, whatever the Content-Type says, on both platforms alike: validated
  // as absent, never parsed.
  if (request.headers['content-type'] !== undefined && !hasBody(request)) treatAsBodiless(request);
  if (options.asyncContext) runWithRequestContext(context, () => next());
  else next();
}

/** {@link startRequest} as Nest middleware (Express; Fastify uses a hook instead). */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(
    @Inject(REQUEST_CONTEXT_OPTIONS) private readonly options: ResolvedRequestContextOptions,
  ) {}

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    startRequest(this.options, request, response, next);
  }
}
