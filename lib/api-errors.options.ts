import {
  BUILT_IN_ERROR_CODES,
  ERROR_CATALOGUE,
  isErrorStatus,
  type ErrorCodeDefinition,
} from './errors/error-catalogue.js';
import { ERROR_FORMATS, type ErrorFormatName } from './formats/index.js';
import type { CustomErrorFormat } from './formats/error-format.js';

/** A code an app registers: its status and default message; the title defaults from the code. */
export interface ErrorCodeInput {
  status: number;
  message: string;
  title?: string;
}

/** Options of {@link ApiErrorsModule.forRoot}. Every member is optional. */
export interface ApiErrorsModuleOptions {
  /**
   * The error body contract: one of the four built-in formats or a function.
   * @default 'flat'
   */
  format?: ErrorFormatName | CustomErrorFormat;
  /**
   * Turns `problem` types into absolute URIs: `https://example.com/errors/` + type.
   * @default undefined (types stay relative: `not_found`)
   */
  typeBaseUri?: string;
  /**
   * Adds `request_id` to `flat` and `laravel` bodies (`nested` and `problem` always carry it).
   * @default false
   */
  includeRequestId?: boolean;
  /**
   * The header that carries the request id, read from requests and written on every response.
   * @default 'X-Request-Id'
   */
  requestIdHeader?: string;
  /**
   * Sends the real message of 5xx errors. For local development only: never in production.
   * @default false
   */
  exposeInternalErrors?: boolean;
  /**
   * The app's own codes, each with its status and default message.
   * @default {}
   */
  codes?: Record<string, ErrorCodeInput>;
  /**
   * Media types a request body may have; others get 415 unsupported_media_type, and so does a
   * charset other than UTF-8. Each type listed must also be parsed by the platform (Express'
   * body-parser, Fastify's content-type parsers). `false` turns the check off (for apps that
   * accept forms or uploads).
   * @default ['application/json']
   */
  bodyContentTypes?: readonly string[] | false;
}

/** The options after defaults were merged and checked; frozen. */
export interface ResolvedApiErrorsOptions {
  readonly format: ErrorFormatName | CustomErrorFormat;
  readonly typeBaseUri: string | undefined;
  readonly includeRequestId: boolean;
  readonly requestIdHeader: string;
  readonly exposeInternalErrors: boolean;
  readonly catalogue: Readonly<Record<string, ErrorCodeDefinition>>;
  readonly bodyContentTypes: readonly string[] | false;
}

/** Thrown at bootstrap when an option is wrong; the message names the option and the fix. */
export class ApiErrorsConfigError extends Error {
  override readonly name = 'ApiErrorsConfigError';
  constructor(option: string, problem: string, fix: string) {
    super(`nest-api-errors: option "${option}" ${problem}. ${fix}`);
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CODE_NAME = /^[a-z][a-z0-9_]*$/;

function titleFromCode(code: string): string {
  return code
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function resolveCatalogue(codes: Record<string, ErrorCodeInput> | undefined) {
  const catalogue: Record<string, ErrorCodeDefinition> = { ...ERROR_CATALOGUE };
  for (const [code, input] of Object.entries(codes ?? {})) {
    const option = `codes.${code}`;
    if (!CODE_NAME.test(code)) {
      throw new ApiErrorsConfigError(
        option,
        'is not a valid code name',
        'Use lower snake_case, e.g. "booking_locked".',
      );
    }
    if ((BUILT_IN_ERROR_CODES as readonly string[]).includes(code)) {
      throw new ApiErrorsConfigError(
        option,
        'redefines a built-in code',
        'Pick another name; built-in codes are fixed.',
      );
    }
    if (!input || !isErrorStatus(input.status)) {
      throw new ApiErrorsConfigError(
        `${option}.status`,
        'must be an integer from 400 to 599',
        'Give the HTTP status this code is sent with.',
      );
    }
    if (typeof input.message !== 'string' || input.message.length === 0) {
      throw new ApiErrorsConfigError(
        `${option}.message`,
        'must be a non-empty string',
        'Give the default public message.',
      );
    }
    catalogue[code] = Object.freeze({
      status: input.status,
      message: input.message,
      title: input.title ?? titleFromCode(code),
    });
  }
  return Object.freeze(catalogue);
}

/**
 * Merges the defaults into the user's options, checks every value and freezes the result.
 * The one place where defaults live.
 */
export function resolveApiErrorsOptions(
  options: ApiErrorsModuleOptions = {},
): ResolvedApiErrorsOptions {
  const format = options.format ?? 'flat';
  if (typeof format !== 'function' && !(ERROR_FORMATS as readonly string[]).includes(format)) {
    throw new ApiErrorsConfigError(
      'format',
      `is "${String(format)}"`,
      `Use one of ${ERROR_FORMATS.join(', ')}, or a function.`,
    );
  }
  if (options.typeBaseUri !== undefined && !URL.canParse(options.typeBaseUri)) {
    throw new ApiErrorsConfigError(
      'typeBaseUri',
      'is not an absolute URI',
      'Use e.g. "https://api.example.com/errors/".',
    );
  }
  const requestIdHeader = options.requestIdHeader ?? 'X-Request-Id';
  if (!HEADER_NAME.test(requestIdHeader)) {
    throw new ApiErrorsConfigError(
      'requestIdHeader',
      'is not a valid header name',
      'Use e.g. "X-Request-Id".',
    );
  }
  const bodyContentTypes = options.bodyContentTypes ?? ['application/json'];
  if (
    bodyContentTypes !== false &&
    (!Array.isArray(bodyContentTypes) ||
      bodyContentTypes.some((t) => typeof t !== 'string' || !t.includes('/')))
  ) {
    throw new ApiErrorsConfigError(
      'bodyContentTypes',
      'must be a list of media types or false',
      'Use e.g. ["application/json"].',
    );
  }
  return Object.freeze({
    format,
    typeBaseUri: options.typeBaseUri,
    includeRequestId: options.includeRequestId ?? false,
    requestIdHeader,
    exposeInternalErrors: options.exposeInternalErrors ?? false,
    catalogue: resolveCatalogue(options.codes),
    bodyContentTypes:
      bodyContentTypes === false
        ? false
        : Object.freeze(bodyContentTypes.map((t) => t.toLowerCase())),
  });
}
