import { describe, expect, it } from '@jest/globals';
import { ApiException } from '../errors/api.exception.js';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { IsOptional, IsString } from 'class-validator';
import { resolveValidationOptions } from './validation.options.js';

/**
 * Nest's ValidationPipe loads class-validator and class-transformer asynchronously, on its first
 * transform, and the hooks the compiled path falls back on read what it loaded. Alone in its
 * file (a fresh module registry), the very first call of a process must already be right.
 */
class NoteDto {
  @IsOptional()
  @IsString()
  note?: string;
}

describe('the first transform of a process', () => {
  it('refuses an array for a DTO whose rules it passes, as Nest does', async () => {
    // Nothing in NoteDto is required, so only Nest's "object is expected" check (which asks
    // class-validator whether the class has rules) refuses the array.
    const pipe = new ApiValidationPipe(
      resolveValidationOptions({ validation: { whitelist: true, forbidNonWhitelisted: true } }),
    );
    const failure = await pipe.transform([], { type: 'body', metatype: NoteDto }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiException);
    expect((failure as ApiException).extras.fieldErrors?.[0]).toMatchObject({
      path: 'body',
      constraint: 'required',
    });
  });
});
