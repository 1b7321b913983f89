/**
 * The checks every feature's options resolver shares. Each throws an {@link ApiErrorsConfigError}
 * that names the option and the fix, as Fastify's initial-config validation does.
 */

/** Thrown at bootstrap when an option is wrong; the message names the option and the fix. */
export class ApiErrorsConfigError extends Error {
  override readonly name = 'ApiErrorsConfigError';
  constructor(option: string, problem: string, fix: string) {
    super(`nest-api-errors: option "${option}" ${problem}. ${fix}`);
  }
}

/** RFC 9110 §5.6.2 token: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `value`, or `fallback` when absent; a whole number of at least `min` (0 unless given). */
export function integerOption(
  option: string,
  value: number | undefined,
  fallback: number,
  min = 0,
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) {
    throw new ApiErrorsConfigError(
      option,
      `is ${String(value)}`,
      `Use a whole number, ${min} or more.`,
    );
  }
  return n;
}

/** A header name, or `fallback` when absent. */
export function headerNameOption(
  option: string,
  value: string | undefined,
  fallback: string,
): string {
  const name = value ?? fallback;
  if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
    throw new ApiErrorsConfigError(option, 'is not a valid header name', `Use e.g. "${fallback}".`);
  }
  return name;
}

/** A boolean, or `fallback` when absent. */
export function booleanOption(option: string, value: boolean | undefined, fallback: boolean) {
  const flag = value ?? fallback;
  if (typeof flag !== 'boolean') {
    throw new ApiErrorsConfigError(option, `is ${String(value)}`, 'Use true or false.');
  }
  return flag;
}

/** Checks that `value` has every named method (a store, a resolver); the fix names what to use. */
export function implementsOption<T>(
  option: string,
  value: T,
  methods: readonly string[],
  fix: string,
): T {
  const missing = methods.find(
    (method) =>
      value === null ||
      typeof value !== 'object' ||
      typeof (value as Record<string, unknown>)[method] !== 'function',
  );
  if (missing !== undefined) {
    throw new ApiErrorsConfigError(option, `has no ${missing}() method`, fix);
  }
  return value;
}
