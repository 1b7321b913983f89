import { HttpException, NotFoundException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { CanonicalError } from '../errors/api-error.js';
import { ApiException } from '../errors/api.exception.js';
import { isErrorStatus, type ErrorCodeDefinition } from '../errors/error-catalogue.js';
import { describePlatformFailure } from '../platform/platform.js';
import { fromStockValidationResponse } from './stock-validation.js';

type Catalogue = Readonly<Record<string, ErrorCodeDefinition>>;

/** What normalisation needs from the resolved options. */
export interface NormaliseOptions {
  readonly catalogue: Catalogue;
  readonly exposeInternalErrors: boolean;
  /** Status and bound of validation failures (validation_error). */
  readonly validation?: { readonly status: number; readonly maxErrors: number };
}

/** The first catalogued code for each status (403 → forbidden, 409 → conflict, …). */
function codesByStatus(catalogue: Catalogue): Map<number, string> {
  const byStatus = new Map<number, string>();
  for (const [code, { status }] of Object.entries(catalogue)) {
    if (!byStatus.has(status)) byStatus.set(status, code);
  }
  return byStatus;
}

const byStatusCache = new WeakMap<Catalogue, Map<number, string>>();

/** The code sent for a bare status: the catalogue's, else the generic one of its class. */
export function codeForStatus(catalogue: Catalogue, status: number): string {
  let byStatus = byStatusCache.get(catalogue);
  if (!byStatus) byStatusCache.set(catalogue, (byStatus = codesByStatus(catalogue)));
  return byStatus.get(status) ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/** Nest's own unknown-route 404 (`Cannot GET /x`): its message echoes the path, never sent. */
export function isRouteNotFound(exception: unknown): boolean {
  return exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message);
}

/** The public message an HttpException carries in its response, if any. */
function httpExceptionMessage(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object') {
    const { message } = response as { message?: unknown };
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function build(
  options: NormaliseOptions,
  code: string,
  status: number,
  message: string | undefined,
  rest: Omit<CanonicalError, 'code' | 'status' | 'title' | 'message'> = {},
  fromBareStatus = false,
): CanonicalError {
  const definition = options.catalogue[code];
  // A bare status without a code of its own (418 sent as bad_request) takes its reason phrase;
  // an explicit code keeps its title whatever status it was configured to use.
  const title =
    fromBareStatus && definition.status !== status
      ? (STATUS_CODES[status] ?? definition.title)
      : definition.title;
  const publicMessage =
    status >= 500 && !options.exposeInternalErrors
      ? definition.message
      : (message ?? definition.message);
  return { code, status, title, message: publicMessage, ...rest };
}

function internal(options: NormaliseOptions, cause: unknown): CanonicalError {
  const exposed =
    options.exposeInternalErrors && cause instanceof Error ? cause.message : undefined;
  return build(options, 'internal_error', 500, exposed, { cause });
}

/**
 * Turns anything thrown into the canonical error. Never throws. Statuses outside 400–599 and
 * unregistered codes become 500 internal_error; 5xx messages are always the generic one.
 */
export function normaliseException(exception: unknown, options: NormaliseOptions): CanonicalError {
  if (exception instanceof ApiException) {
    const definition = options.catalogue[exception.code];
    if (!definition) return internal(options, exception);
    const { extras } = exception;
    let status = isErrorStatus(extras.status) ? extras.status : definition.status;
    // Business-rule validation failures take the configured validation status.
    if (
      exception.code === 'validation_error' &&
      extras.status === undefined &&
      options.validation
    ) {
      status = options.validation.status;
    }
    return build(options, exception.code, status, exception.publicMessage, {
      fieldErrors: extras.fieldErrors,
      omittedFieldErrors: extras.omittedFieldErrors,
      details: extras.details,
      extensions: extras.extensions,
      headers: extras.headers,
      cause: extras.cause ?? exception,
    });
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (!isErrorStatus(status)) return internal(options, exception);
    if (status >= 500) {
      const code = codeForStatus(options.catalogue, status);
      return build(options, code, status, exception.message, { cause: exception }, true);
    }
    const platformFailure = describePlatformFailure(exception.cause);
    if (platformFailure) {
      const code = platformFailure.code;
      return build(options, code, options.catalogue[code].status, platformFailure.message, {
        cause: exception.cause,
      });
    }
    if (isRouteNotFound(exception)) {
      return build(options, 'not_found', 404, undefined, { cause: exception });
    }
    const stock = fromStockValidationResponse(
      exception.getResponse(),
      options.validation?.maxErrors,
    );
    if (stock) {
      return build(options, 'validation_error', options.validation?.status ?? status, undefined, {
        fieldErrors: stock.fieldErrors,
        omittedFieldErrors: stock.omitted,
        cause: exception,
      });
    }
    return build(
      options,
      codeForStatus(options.catalogue, status),
      status,
      httpExceptionMessage(exception),
      { cause: exception },
      true,
    );
  }

  return internal(options, exception);
}
