import { describe, expect, it } from '@jest/globals';
import { Reflector } from '@nestjs/core';
import { ApiErrorResponse, declaredErrorsOf } from './api-error-response.decorator.js';

@ApiErrorResponse('service_unavailable', undefined, { headers: { 'Retry-After': '30' } })
class Stores {
  @ApiErrorResponse('not_found', 'Store not found')
  @ApiErrorResponse('conflict', 'Store is paused', { extensions: { storeId: 'st_1' } })
  find(): void {}

  plain(): void {}
}

describe('@ApiErrorResponse', () => {
  const reflector = new Reflector();

  it("lists the controller's declarations, then the handler's in the order written", () => {
    expect(declaredErrorsOf(reflector, Stores.prototype.find, Stores)).toEqual([
      {
        code: 'service_unavailable',
        message: undefined,
        extras: { headers: { 'Retry-After': '30' } },
      },
      { code: 'not_found', message: 'Store not found', extras: {} },
      { code: 'conflict', message: 'Store is paused', extras: { extensions: { storeId: 'st_1' } } },
    ]);
  });

  it("gives a handler without its own the controller's", () => {
    expect(declaredErrorsOf(reflector, Stores.prototype.plain, Stores).map((d) => d.code)).toEqual([
      'service_unavailable',
    ]);
  });
});
