import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ApiExceptionExtras } from '../errors/api.exception.js';
import type { ErrorCode } from '../errors/error-catalogue.js';

/** The metadata key of `@ApiErrorResponse` declarations. */
export const DECLARED_ERRORS = 'nest-api-errors:declared-errors';

/** What a handler may throw, as `@ApiErrorResponse` declares it. */
export interface DeclaredError {
  readonly code: ErrorCode;
  readonly message: string | undefined;
  /** `extensions`, `details`, `headers` and `status`, as the thrown `ApiException` has them. */
  readonly extras: Pick<ApiExceptionExtras, 'details' | 'extensions' | 'headers' | 'status'>;
}

/**
 * Documents an error the handler (or a service it calls) throws itself, with the arguments the
 * `ApiException` is thrown with: the OpenAPI document then shows it under its status, rendered
 * in the configured format. The guards', pipes' and platform's errors need no decorator; they
 * are found from the route's own metadata. On a controller, it applies to each of its routes.
 *
 * @example
 * @ApiErrorResponse('conflict', 'Time slot is no longer available')
 * @Post('bookings')
 * create(@Body() input: CreateBookingDto) { … } // throws new ConflictApiException('Time slot is no longer available')
 *
 * @ApiErrorResponse('service_unavailable', undefined, { headers: { 'Retry-After': '30' } })
 * @Get('maintenance')
 * maintenance() { throw new ServiceUnavailableApiException(30); }
 */
export function ApiErrorResponse(
  code: ErrorCode,
  message?: string,
  extras: DeclaredError['extras'] = {},
): MethodDecorator & ClassDecorator {
  const declared: DeclaredError = Object.freeze({ code, message, extras: { ...extras } });
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const existing: readonly DeclaredError[] = Reflect.getMetadata(DECLARED_ERRORS, holder) ?? [];
    // Decorators apply bottom-up: put each in front, so the list reads as written.
    Reflect.defineMetadata(DECLARED_ERRORS, [declared, ...existing], holder);
    return descriptor ?? target;
  }) as MethodDecorator & ClassDecorator;
}

/** Every error `@ApiErrorResponse` declares on a handler's controller, then on the handler. */
export function declaredErrorsOf(
  reflector: Reflector,
  handler: object,
  controller: object,
): DeclaredError[] {
  // Reflector reads metadata off any function; it is typed for classes and handlers alike.
  return reflector.getAllAndMerge<DeclaredError[]>(DECLARED_ERRORS, [
    controller,
    handler,
  ] as Type<unknown>[]);
}
