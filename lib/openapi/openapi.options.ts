import { VALID_REQUEST_ID } from '../request-context/request-id.js';
import { ApiErrorsConfigError } from '../shared/option-checks.js';

/** A JSON Schema (OpenAPI Schema Object) for the body a custom format sends. */
export type ErrorBodySchema = Readonly<Record<string, unknown>>;

/** Options of {@link addErrorResponses} and {@link renderErrorsPage}. */
export interface ErrorDocumentOptions {
  /**
   * The schema of an error body when `format` is your own function: the library cannot know
   * the shape a function returns. Examples are still rendered by calling that function.
   * @default {} (any JSON)
   */
  customFormatSchema?: ErrorBodySchema;
  /**
   * The name of the API-key security scheme added to `components.securitySchemes`.
   * @default 'ApiKey'
   */
  apiKeySchemeName?: string;
  /**
   * The name of the bearer security scheme, added when `apiKeys.bearer` is on.
   * @default 'Bearer'
   */
  bearerSchemeName?: string;
  /**
   * The request id every example carries (`instance`, `request_id`, `X-Request-Id`).
   * @default 'req_5f0c3a9e0d8b4c7e9a1f2b3c4d5e6f70'
   */
  exampleRequestId?: string;
}

/** Options of {@link renderErrorsPage}: those of the document, and the page's own. */
export interface ErrorsPageOptions extends ErrorDocumentOptions {
  /**
   * The page's heading.
   * @default 'Errors'
   */
  title?: string;
  /**
   * The API's base URL, in the page's code example.
   * @default 'https://api.example.com'
   */
  baseUrl?: string;
}

/** {@link ErrorDocumentOptions} after defaults were merged; frozen. */
export interface ResolvedErrorDocumentOptions {
  readonly customFormatSchema: ErrorBodySchema;
  readonly apiKeySchemeName: string;
  readonly bearerSchemeName: string;
  readonly exampleRequestId: string;
}

/** {@link ErrorsPageOptions} after defaults were merged; frozen. */
export interface ResolvedErrorsPageOptions extends ResolvedErrorDocumentOptions {
  readonly title: string;
  readonly baseUrl: string;
}

/** The defaults of {@link ErrorsPageOptions} (and so of {@link ErrorDocumentOptions}). */
export const ERROR_DOCUMENT_DEFAULTS = Object.freeze({
  customFormatSchema: Object.freeze({}),
  apiKeySchemeName: 'ApiKey',
  bearerSchemeName: 'Bearer',
  exampleRequestId: 'req_5f0c3a9e0d8b4c7e9a1f2b3c4d5e6f70',
  title: 'Errors',
  baseUrl: 'https://api.example.com',
});

/** OpenAPI component names (OpenAPI 3.x §4.8.7: `^[a-zA-Z0-9.\-_]+$`). */
const COMPONENT_NAME = /^[A-Za-z0-9.\-_]+$/;

function componentName(option: string, value: string | undefined, fallback: string): string {
  const name = value ?? fallback;
  if (typeof name !== 'string' || !COMPONENT_NAME.test(name)) {
    throw new ApiErrorsConfigError(
      option,
      `is ${JSON.stringify(name)}`,
      'Use letters, digits, ".", "-" and "_" only (an OpenAPI component name).',
    );
  }
  return name;
}

/** Checks and freezes the options of the OpenAPI document and the Errors page. */
export function resolveErrorDocumentOptions(
  options: ErrorDocumentOptions = {},
): ResolvedErrorDocumentOptions {
  const d = ERROR_DOCUMENT_DEFAULTS;
  const schema = options.customFormatSchema ?? d.customFormatSchema;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new ApiErrorsConfigError(
      'customFormatSchema',
      'is not a schema object',
      'Pass a JSON Schema object such as { type: "object", properties: { … } }.',
    );
  }
  const requestId = options.exampleRequestId ?? d.exampleRequestId;
  if (typeof requestId !== 'string' || !VALID_REQUEST_ID.test(requestId)) {
    throw new ApiErrorsConfigError(
      'exampleRequestId',
      `is ${JSON.stringify(requestId)}`,
      'Use 1-128 characters of A-Z a-z 0-9 . _ -, as a request id the library keeps.',
    );
  }
  const apiKeySchemeName = componentName(
    'apiKeySchemeName',
    options.apiKeySchemeName,
    d.apiKeySchemeName,
  );
  const bearerSchemeName = componentName(
    'bearerSchemeName',
    options.bearerSchemeName,
    d.bearerSchemeName,
  );
  if (apiKeySchemeName === bearerSchemeName) {
    throw new ApiErrorsConfigError(
      'bearerSchemeName',
      `is "${bearerSchemeName}", the name of the API-key scheme too`,
      'Give the two security schemes different names.',
    );
  }
  return Object.freeze({
    customFormatSchema: schema,
    apiKeySchemeName,
    bearerSchemeName,
    exampleRequestId: requestId,
  });
}

/** Checks and freezes the options of the Errors page. */
export function resolveErrorsPageOptions(
  options: ErrorsPageOptions = {},
): ResolvedErrorsPageOptions {
  const d = ERROR_DOCUMENT_DEFAULTS;
  const title = options.title ?? d.title;
  if (typeof title !== 'string' || title.trim() === '' || title.includes('\n')) {
    throw new ApiErrorsConfigError('title', `is ${JSON.stringify(title)}`, 'Use one line of text.');
  }
  const baseUrl = options.baseUrl ?? d.baseUrl;
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new ApiErrorsConfigError(
      'baseUrl',
      `is ${JSON.stringify(baseUrl)}`,
      'Use an absolute URL, e.g. "https://api.example.com".',
    );
  }
  return Object.freeze({
    ...resolveErrorDocumentOptions(options),
    title,
    baseUrl: baseUrl.replace(/\/+$/, ''),
  });
}
