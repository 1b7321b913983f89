import { SetMetadata, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const IDEMPOTENT = 'nest-api-errors:idempotent';

export interface IdempotentOptions {
  /** Answer a request without `Idempotency-Key` with 400 bad_request. Default: the module's. */
  required?: boolean;
}

/**
 * Makes retries of a route safe: the first request with an `Idempotency-Key` runs; retries with
 * the same key and body get its stored response (`Idempotent-Replayed: true`), a retry while it
 * runs gets 409 idempotency_key_in_use, the same key with another body 422 idempotency_key_reused.
 *
 * @example
 * @Idempotent({ required: true })
 * @Post('payments')
 * pay(@Body() body: PaymentDto) { … }
 */
export const Idempotent = (options: IdempotentOptions = {}): MethodDecorator & ClassDecorator =>
  SetMetadata(IDEMPOTENT, options);

/**
 * The `@Idempotent()` options of a handler (its own, else its controller's), or undefined
 * without the decorator: what the Idempotency-Key guard reads and the OpenAPI document
 * describes, from the same metadata.
 */
export function idempotentOptionsOf(
  reflector: Reflector,
  handler: object,
  controller: object,
): IdempotentOptions | undefined {
  // Reflector reads metadata off any function; it is typed for classes and handlers alike.
  return reflector.getAllAndOverride<IdempotentOptions | undefined>(IDEMPOTENT, [
    handler,
    controller,
  ] as Type<unknown>[]);
}
