import { SetMetadata } from '@nestjs/common';

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
