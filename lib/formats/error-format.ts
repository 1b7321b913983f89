import type { CanonicalError } from '../errors/api-error.js';

/** What every format receives besides the error. */
export interface ErrorFormatContext {
  /** The request id, already sent as a header. */
  readonly requestId: string;
  /** Whether formats without a natural place for it (flat, laravel) add `request_id`. */
  readonly includeRequestId: boolean;
  /** Base URI that turns `problem` types into absolute URIs, or undefined. */
  readonly typeBaseUri: string | undefined;
}

/** A rendered error: the body and the media type it is sent as. */
export interface RenderedErrorBody {
  readonly contentType: string;
  readonly body: unknown;
}

/** What a custom format function returns. */
export interface CustomFormatResult {
  /** Overrides the status (an integer in 400–599); the canonical one otherwise. */
  readonly status?: number;
  /** Extra or replacing headers, Content-Type included. */
  readonly headers?: Record<string, string>;
  /** The JSON-serialisable body. */
  readonly body: unknown;
}

/**
 * A function that renders any other error contract.
 *
 * @example
 * format: (error, { requestId }) => ({ body: { ok: false, code: error.code, id: requestId } })
 */
export type CustomErrorFormat = (
  error: CanonicalError,
  context: ErrorFormatContext,
) => CustomFormatResult;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
