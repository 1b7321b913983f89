import { ERROR_FORMATS, type ErrorFormatName } from 'nest-api-errors';

export type HttpPlatform = 'express' | 'fastify';

/** Everything the sample app reads from its environment, with the embedded defaults. */
export interface SampleAppConfig {
  port: number;
  platform: HttpPlatform;
  format: ErrorFormatName;
  /** JSON file of API keys (`{ "keys": [ … ] }`), relative to the working directory. */
  apiKeysFile: string;
  /** Failed authentications per client IP per minute before 429; 0 turns it off. */
  authFailuresPerMinute: number;
  /** Status of validation failures, any 4xx. */
  validationStatus: number;
}

/** The plan tiers, lowest first. */
export const TIERS = ['local', 'network', 'authority'] as const;

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} is "${value}"; use one of ${allowed.join(', ')}.`);
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} is "${value}"; use an integer from ${min} to ${max}.`);
  }
  return n;
}

/** Reads the configuration from `env` (process.env by default). Throws on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SampleAppConfig {
  return {
    port: integer('PORT', env.PORT, 3000, 0, 65535),
    platform: oneOf('HTTP_PLATFORM', env.HTTP_PLATFORM, ['express', 'fastify'], 'express'),
    format: oneOf('ERROR_FORMAT', env.ERROR_FORMAT, ERROR_FORMATS, 'flat'),
    apiKeysFile: env.API_KEYS_FILE || 'sample-app/fixtures/api-keys.json',
    validationStatus: integer('VALIDATION_STATUS', env.VALIDATION_STATUS, 422, 400, 499),
    authFailuresPerMinute: integer(
      'AUTH_FAILURES_PER_MINUTE',
      env.AUTH_FAILURES_PER_MINUTE,
      100,
      0,
      1_000_000,
    ),
  };
}
