import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';
import { exceedsDepth } from './body-depth.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';

/** What a handler is handed to read, per transport: the body, the message, the arguments. */
function payloadOf(context: ExecutionContext): unknown {
  switch (context.getType<string>()) {
    case 'http':
      return context.switchToHttp().getRequest<{ body?: unknown }>().body;
    case 'rpc':
      return context.switchToRpc().getData();
    case 'ws':
      return context.switchToWs().getData();
    case 'graphql':
      // (root, args, context, info): only the arguments come from the client.
      return context.getArgByIndex(1);
    default:
      return undefined;
  }
}

/**
 * Turns away payloads nested deeper than `maxBodyDepth` with 400 bad_request, on every
 * transport. JSON parsers accept far deeper payloads than the recursive code after them
 * (class-transformer, JSON.stringify) survives; without this, a hostile body would end as a
 * stack overflow and a 500. A guard, run after authentication and limits and before pipes and
 * handlers: no interceptor pipeline needed.
 */
@Injectable()
export class BodyDepthGuard implements CanActivate {
  constructor(@Inject(VALIDATION_OPTIONS) private readonly options: ResolvedValidationOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (exceedsDepth(payloadOf(context), this.options.maxBodyDepth)) {
      throw new ApiException('bad_request', 'The request body is nested too deeply');
    }
    return true;
  }
}
