import { describe, expect, it } from '@jest/globals';
import { expectRejected } from '../../test/support/config-error.js';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { resolveValidationOptions } from './validation.options.js';

describe('resolveValidationOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveValidationOptions({});
    expect(resolved).toEqual({
      enabled: true,
      status: 422,
      maxErrors: 100,
      pipeOptions: {},
      pipe: undefined,
      compile: true,
      maxBodyDepth: 128,
      precognition: true,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.pipeOptions)).toBe(true);
  });

  it("passes Nest's pipe options through and keeps a pipe subclass", () => {
    class Mine extends ApiValidationPipe {}
    const resolved = resolveValidationOptions({
      validation: { whitelist: true, status: 400, pipe: Mine },
    });
    expect(resolved).toMatchObject({ status: 400, pipe: Mine, pipeOptions: { whitelist: true } });
  });

  it('takes compile out of the pipe options, and refuses a non-boolean', () => {
    const resolved = resolveValidationOptions({ validation: { compile: false, whitelist: true } });
    expect(resolved).toMatchObject({ compile: false, pipeOptions: { whitelist: true } });
    expect(resolved.pipeOptions).not.toHaveProperty('compile');
    expectRejected(
      () => resolveValidationOptions({ validation: { compile: 'no' as unknown as boolean } }),
      'validation.compile',
    );
  });

  it('turns the pipe off with false, and still checks body depth', () => {
    expect(resolveValidationOptions({ validation: false, maxBodyDepth: 8 })).toMatchObject({
      enabled: false,
      maxBodyDepth: 8,
    });
  });

  it('keeps precognition as set, with or without the pipe', () => {
    expect(resolveValidationOptions({ precognition: false }).precognition).toBe(false);
    expect(resolveValidationOptions({ validation: false }).precognition).toBe(true);
    expect(resolveValidationOptions({ validation: false, precognition: false })).toMatchObject({
      enabled: false,
      precognition: false,
    });
  });

  it.each([
    [{ validation: { status: 500 } }, 'validation.status'],
    [{ validation: { status: 399 } }, 'validation.status'],
    [{ validation: { maxErrors: 0 } }, 'validation.maxErrors'],
    [{ validation: { pipe: 'MyPipe' } }, 'validation.pipe'],
    // 0 would refuse every body with an object in it.
    [{ maxBodyDepth: 0 }, 'maxBodyDepth'],
    [{ maxBodyDepth: 2.5 }, 'maxBodyDepth'],
    [{ validation: false, maxBodyDepth: -1 }, 'maxBodyDepth'],
    [{ precognition: 'true' }, 'precognition'],
    [{ validation: false, precognition: 1 }, 'precognition'],
  ])('rejects %j, naming the option', (options, name) => {
    expectRejected(() => resolveValidationOptions(options as never), name);
  });
});
