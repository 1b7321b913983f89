import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestContextOf } from './request-context.store.js';

/**
 * Injects the request id into a handler parameter.
 *
 * @example
 * @Get('orders')
 * list(@RequestId() requestId: string) { … }
 */
export const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    requestContextOf(context.switchToHttp().getRequest())?.requestId,
);
