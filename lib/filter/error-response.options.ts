import {
  BUILT_IN_ERROR_CODES,
  ERROR_CATALOGUE,
  isErrorStatus,
  type ErrorCodeDefinition,
} from '../errors/error-catalogue.js';
import type { CustomErrorFormat } from '../formats/error-format.js';
import { ERROR_FORMATS, type ErrorFormatName } from '../formats/index.js';
import { ApiErrorsConfigError, booleanOption } from '../shared/option-checks.js';

/** A code an app registers: its status and default message; the title defaults from the code. */
export interface ErrorCodeInput {
  status: number;
  message: string;
  title?: string;
}

/** How errors are answered: the options of {@link ApiErrorsModule.forRoot} the filter reads. */
export interface ErrorResponseModuleOptions {
  /**
   * The error body contract: one of the four built-in formats or a function.
   * @default 'flat'
   */
  format?: ErrorFormatName | CustomErrorFormat;
  /**
   * Where the `problem` format's types live: `type` becomes this URI + the type's name
   * (`https://api.example.com/errors/not_found`) and `title` the code's own. Without it every
   * problem is `"type": "about:blank"` with the status phrase as `title` and the type's name in
   * `code` (RFC 9457 §4.2.1): a bare name would be a relative URI that resolves differently
   * under every route.
   * @default undefined (`about:blank`)
   */
  typeBaseUri?: string;
  /**
   * Adds `request_id` to `flat` and `laravel` bodies (`nested` and `problem` always carry it).
   * @default false
   */
  includeRequestId?: boolean;
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
}

/** How errors are answered, after defaults were merged; frozen. */
export interface ResolvedErrorResponseOptions {
  readonly format: ErrorFormatName | CustomErrorFormat;
  readonly typeBaseUri: string | undefined;
  readonly includeRequestId: boolean;
  readonly exposeInternalErrors: boolean;
  /** The built-in codes and the app's own. */
  readonly catalogue: Readonly<Record<string, ErrorCodeDefinition>>;
  /** Status and bound of validation failures, as the validation options set them. */
  readonly validation: { readonly status: number; readonly maxErrors: number };
}

/** Injection token of {@link ResolvedErrorResponseOptions}. */
export const ERROR_RESPONSE_OPTIONS = Symbol('nest-api-errors:error-response-options');

export const ERROR_RESPONSE_DEFAULTS = Object.freeze({
  format: 'flat' as ErrorFormatName,
  typeBaseUri: undefined,
  includeRequestId: false,
  exposeInternalErrors: false,
});

const CODE_NAME = /^[a-z][a-z0-9_]*$/;

function titleFromCode(code: string): string {
  return code
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The built-in catalogue plus the app's codes, each checked. */
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
 * Checks and freezes how errors are answered. `validation` is the validation part's status and
 * bound, which validation_error takes wherever it comes from.
 */
export function resolveErrorResponseOptions(
  options: ErrorResponseModuleOptions,
  validation: { readonly status: number; readonly maxErrors: number } = {
    status: 422,
    maxErrors: 100,
  },
): ResolvedErrorResponseOptions {
  const d = ERROR_RESPONSE_DEFAULTS;
  const format = options.format ?? d.format;
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
  return Object.freeze({
    format,
    typeBaseUri: options.typeBaseUri ?? d.typeBaseUri,
    includeRequestId: booleanOption(
      'includeRequestId',
      options.includeRequestId,
      d.includeRequestId,
    ),
    exposeInternalErrors: booleanOption(
      'exposeInternalErrors',
      options.exposeInternalErrors,
      d.exposeInternalErrors,
    ),
    catalogue: resolveCatalogue(options.codes),
    validation: Object.freeze({ status: validation.status, maxErrors: validation.maxErrors }),
  });
}
