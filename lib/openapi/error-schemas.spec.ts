import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ApiException, ApiValidationException } from '../errors/api.exception.js';
import { resolveErrorResponseOptions } from '../filter/error-response.options.js';
import { normaliseException } from '../filter/normalise-exception.js';
import { ERROR_FORMATS, FORMAT_RENDERERS, type ErrorFormatName } from '../formats/index.js';
import { bodyShape, narrowing, valueAt, type SchemaContext } from './error-schemas.js';

const options = resolveErrorResponseOptions({});

function context(format: ErrorFormatName, more: Partial<SchemaContext> = {}): SchemaContext {
  return {
    format,
    includeRequestId: false,
    typeBaseUri: undefined,
    tiers: ['local', 'network', 'authority'],
    maxErrors: 100,
    openapi31: false,
    ...more,
  };
}

/** What the format renders for `exception`, as the filter would send it. */
function rendered(format: ErrorFormatName, exception: unknown, more: Partial<SchemaContext> = {}) {
  const c = context(format, more);
  return FORMAT_RENDERERS[format](normaliseException(exception, options), {
    requestId: 'req_1',
    includeRequestId: c.includeRequestId,
    typeBaseUri: c.typeBaseUri,
  }).body;
}

const EXAMPLES: [string, unknown, string][] = [
  ['not_found', new ApiException('not_found', 'Booking not found'), 'ApiError'],
  [
    'validation_error',
    new ApiValidationException({ 'customer.phone': ['The customer.phone field is required.'] }),
    'ApiValidationError',
  ],
  [
    'feature_not_entitled',
    new ApiException('feature_not_entitled', 'Your plan does not include the webhooks feature', {
      extensions: {
        feature: 'webhooks',
        isTrial: false,
        upgradeRequired: false,
        requiredTier: null,
      },
    }),
    'ApiFeatureNotEntitledError',
  ],
  [
    'forbidden',
    new ApiException('forbidden', 'Store paused', {
      extensions: { storeId: 'st_1', paused: true },
    }),
    'ApiForbiddenError',
  ],
];

describe.each(ERROR_FORMATS)('bodyShape in the %s format', (format) => {
  it.each(EXAMPLES)('describes %s with a closed schema its body meets', (code, exception, name) => {
    const body = rendered(format, exception);
    const shape = bodyShape(body, code, context(format));
    expect(shape.name).toBe(name);
    const validate = new Ajv({ strict: false }).compile(shape.schema);
    expect(validate(body)).toBe(true);
    // Closed: a member the shape does not know is refused.
    expect(validate({ ...(body as object), leaked: 'stack' })).toBe(false);
  });

  it.each([[{ includeRequestId: true }], [{ typeBaseUri: 'https://api.example.com/errors/' }]])(
    'follows the options that change the body: %j',
    (more) => {
      const body = rendered(format, new ApiException('unauthorized'), more);
      const validate = new Ajv({ strict: false }).compile(
        bodyShape(body, 'unauthorized', context(format, more)).schema,
      );
      expect(validate(body)).toBe(true);
    },
  );

  it('names the fixed members, whose values each error sets', () => {
    const body = rendered(format, EXAMPLES[2][1]);
    const shape = bodyShape(body, 'feature_not_entitled', context(format));
    const values = shape.fixed.map((path) => valueAt(body, path));
    expect(values).toContain('webhooks');
    expect(values).toContain(null);
  });
});

describe('bodyShape in OpenAPI 3.1', () => {
  it('writes a nullable member as a type list, valid JSON Schema 2020-12', () => {
    const body = rendered('flat', EXAMPLES[2][1]);
    const shape = bodyShape(body, 'feature_not_entitled', context('flat', { openapi31: true }));
    const properties = shape.schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.requiredTier.type).toEqual(['string', 'null']);
    expect(properties.requiredTier.nullable).toBeUndefined();
    expect(new Ajv2020({ strict: false }).compile(shape.schema)(body)).toBe(true);
  });
});

describe('narrowing', () => {
  it('nests properties down to each path, each an enum of its values', () => {
    expect(
      narrowing([
        [['status'], [403]],
        [
          ['error', 'code'],
          ['FORBIDDEN', 'FEATURE_NOT_ENTITLED'],
        ],
      ]),
    ).toEqual({
      properties: {
        status: { enum: [403] },
        error: { properties: { code: { enum: ['FORBIDDEN', 'FEATURE_NOT_ENTITLED'] } } },
      },
    });
  });
});
