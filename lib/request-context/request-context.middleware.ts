import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiException } from '../errors/api.exception.js';
import { isAcceptedBodyContentType } from './body-content-type.js';
import {
  REQUEST_CONTEXT_OPTIONS,
  type ResolvedRequestContextOptions,
} from './request-context.options.js';
import { attachRequestContext } from './request-context.store.js';
import { runWithRequestContext } from './request-context.js';

/**
 * The first thing every request meets: fixes its id (kept or generated), sends it back as a
 * header, turns away bodies that are not JSON before anything parses them, and (with
 * `asyncContext`) opens the async context app code reads the id from. Errors go to `next`.
 */
export function startRequest(
  options: ResolvedRequestContextOptions,
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const context = attachRequestContext(request, response, options.requestIdHeader);
  const accepted = options.bodyContentTypes;
  if (accepted !== false && !isAcceptedBodyContentType(request, accepted)) {
    next(new ApiException('unsupported_media_type'));
    return;
  }
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
