import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ERRORS_OPTIONS } from '../api-errors.constants.js';
import type { ResolvedApiErrorsOptions } from '../api-errors.options.js';
import { ApiException } from '../errors/api.exception.js';
import { isAcceptedBodyContentType } from '../filter/body-content-type.js';
import { attachRequestContext } from './request-context.store.js';
import { runWithRequestContext } from './request-context.js';

/**
 * The first thing every request meets: fixes its id (kept or generated), sends it back as a
 * header, opens the async context app code reads it from, and turns away bodies that are not
 * JSON before anything parses them.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(@Inject(API_ERRORS_OPTIONS) private readonly options: ResolvedApiErrorsOptions) {}

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    const context = attachRequestContext(request, response, this.options.requestIdHeader);
    const accepted = this.options.bodyContentTypes;
    if (accepted !== false && !isAcceptedBodyContentType(request, accepted)) {
      throw new ApiException('unsupported_media_type');
    }
    runWithRequestContext(context, next);
  }
}
