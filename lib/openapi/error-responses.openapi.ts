import { Logger, type INestApplicationContext } from '@nestjs/common';
import { appRoutes, type AppRoute } from './app-routes.js';
import { codeAsSent, errorContractOf, type ErrorContract } from './error-contract.js';
import {
  bodyShape,
  narrowing,
  schemaContextOf,
  valueAt,
  type BodyShape,
  type JsonSchema,
  type SchemaContext,
} from './error-schemas.js';
import {
  resolveErrorDocumentOptions,
  type ErrorDocumentOptions,
  type ResolvedErrorDocumentOptions,
} from './openapi.options.js';
import {
  headerSchema,
  precognitionHeaders,
  rateLimitHeaders,
  replayedHeader,
  requestIdHeader,
  type HeaderObject,
} from './response-headers.js';
import { routeErrors, routeFactsOf, type ErrorVariant, type RouteFacts } from './route-errors.js';

/** What `addErrorResponses` takes: an OpenAPI 3.0 or 3.1 document, such as `SwaggerModule.createDocument` returns. */
export interface OpenApiDocumentInput {
  openapi: string;
  paths: object;
}

/** The parts of an OpenAPI document this module reads and writes. */
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  responses?: Record<string, Response>;
  security?: Record<string, string[]>[];
}
interface Parameter {
  name?: string;
  in?: string;
  $ref?: string;
  [key: string]: unknown;
}
interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: JsonSchema; examples?: Record<string, unknown> }>;
  [key: string]: unknown;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Header names compared as HTTP compares them. */
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The canonical code of a variant's key (`forbidden.scopes` → `forbidden`). */
function codeOf(variant: ErrorVariant): string {
  return variant.key.split('.')[0];
}

/** Builds the component schemas and response objects of one document. */
class ResponseWriter {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly context: SchemaContext;

  constructor(
    private readonly contract: ErrorContract,
    private readonly settings: ResolvedErrorDocumentOptions,
    openapi: string,
  ) {
    this.context = schemaContextOf(contract, openapi.startsWith('3.1'));
  }

  /** Registers a component under `name` (or a numbered name when another schema has it). */
  private component(name: string, schema: JsonSchema): string {
    const json = JSON.stringify(schema);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${name}${n}`;
      const existing = this.schemas[candidate];
      if (existing === undefined) {
        this.schemas[candidate] = schema;
        return candidate;
      }
      if (JSON.stringify(existing) === json) return candidate;
    }
  }

  /** The body schema of one status: one branch per shape, each narrowed to its errors. */
  private bodySchema(variants: readonly ErrorVariant[]): JsonSchema {
    if (typeof this.contract.errorResponse.format === 'function') {
      return {
        $ref: `#/components/schemas/${this.component('ApiError', { ...this.settings.customFormatSchema })}`,
      };
    }
    const groups = new Map<string, { shape: BodyShape; bodies: unknown[] }>();
    for (const variant of variants) {
      const body: unknown = JSON.parse(variant.reply.payload);
      const shape = bodyShape(body, codeOf(variant), this.context);
      const name = this.component(shape.name, shape.schema);
      const group = groups.get(name) ?? { shape, bodies: [] };
      group.bodies.push(body);
      groups.set(name, group);
    }
    const branches = [...groups].map(([name, { shape, bodies }]) => {
      const ref = { $ref: `#/components/schemas/${name}` };
      const entries = shape.fixed
        .map((path) => [path, [...new Set(bodies.map((b) => valueAt(b, path)))]] as const)
        .filter(([, values]) => values.every((v) => v !== undefined));
      return entries.length === 0 ? ref : { allOf: [ref, narrowing(entries)] };
    });
    return branches.length === 1 ? branches[0] : { oneOf: branches };
  }

  /** The headers of one status, each required when every one of its errors sends it. */
  private headers(variants: readonly ErrorVariant[]): Record<string, unknown> {
    const header = this.contract.requestContext.requestIdHeader;
    const sent = new Map<string, { count: number; value: string }>();
    const count = (name: string, value = '') => {
      const key = [...sent.keys()].find((k) => same(k, name)) ?? name;
      sent.set(key, { count: (sent.get(key)?.count ?? 0) + 1, value });
    };
    for (const variant of variants) {
      for (const [name, value] of Object.entries(variant.reply.headers)) {
        if (!same(name, 'Content-Type') && !same(name, header)) count(name, value);
      }
    }
    const headers: Record<string, unknown> = { [header]: requestIdHeader() };
    for (const [name, { count: n, value }] of sent) {
      headers[name] = { ...headerSchema(name, value), required: n === variants.length };
    }
    const limited = variants.filter((v) => v.withLimits).length;
    if (limited > 0 && this.contract.rateLimit) {
      Object.assign(
        headers,
        rateLimitHeaders(this.contract.rateLimit, limited === variants.length),
      );
    }
    if (variants.some((v) => v.replayable)) headers['Idempotent-Replayed'] = replayedHeader();
    if (this.answersPrecognition()) Object.assign(headers, precognitionHeaders(false));
    return headers;
  }

  /** The Markdown description of one status: each code with what causes it. */
  private description(variants: readonly ErrorVariant[]): string {
    const lines = variants.map(
      (v) => `- \`${codeAsSent(codeOf(v), this.contract)}\`: ${v.summary}`,
    );
    return lines.join('\n');
  }

  answersPrecognition(): boolean {
    return (
      this.contract.validation.precognition && this.contract.errorResponse.format === 'laravel'
    );
  }

  /** One response object per error status of the route. */
  errorResponses(variants: readonly ErrorVariant[]): Map<string, Response> {
    const byStatus = new Map<number, ErrorVariant[]>();
    for (const variant of variants) {
      const list = byStatus.get(variant.reply.status) ?? [];
      list.push(variant);
      byStatus.set(variant.reply.status, list);
    }
    const responses = new Map<string, Response>();
    for (const [status, list] of byStatus) {
      const content: Response['content'] = {};
      for (const variant of list) {
        const type = (variant.reply.headers['Content-Type'] ?? 'application/json').split(';')[0];
        content[type] ??= { examples: {} };
      }
      for (const [type, media] of Object.entries(content)) {
        const ofType = list.filter(
          (v) => (v.reply.headers['Content-Type'] ?? 'application/json').split(';')[0] === type,
        );
        media.schema = this.bodySchema(ofType);
        for (const variant of ofType) {
          (media.examples as Record<string, unknown>)[variant.key] = {
            summary: variant.summary,
            value: JSON.parse(variant.reply.payload) as unknown,
          };
        }
      }
      responses.set(String(status), {
        description: this.description(list),
        headers: this.headers(list),
        content,
      });
    }
    return responses;
  }

  /** The headers every success of the route carries. */
  successHeaders(facts: RouteFacts): Record<string, unknown> {
    const headers: Record<string, unknown> = {
      [this.contract.requestContext.requestIdHeader]: requestIdHeader(),
    };
    if (facts.windows.length > 0 && this.contract.rateLimit) {
      Object.assign(headers, rateLimitHeaders(this.contract.rateLimit, true));
    }
    if (facts.idempotency) headers['Idempotent-Replayed'] = replayedHeader();
    if (this.answersPrecognition()) Object.assign(headers, precognitionHeaders(false));
    return headers;
  }
}

/**
 * The headers of the answer to a valid Precognition request; `required` unless the route's own
 * success is a 204 too, whose ordinary answers lack them.
 */
function precognitionSuccessHeaders(required: boolean): Record<string, HeaderObject> {
  return {
    ...precognitionHeaders(required),
    'Precognition-Success': {
      description: 'true: the request is valid.',
      required,
      schema: { type: 'string', enum: ['true'] },
    },
    'Cache-Control': { ...headerSchema('Cache-Control'), required },
  };
}

const PRECOGNITION_SUCCESS =
  'Precognition: the request would pass validation (with `Precognition-Validate-Only`, the fields it names); the handler did not run.';

/** Adds `parameter` unless the operation has one of the same name and place. */
function addParameter(operation: Operation, parameter: Parameter): void {
  const parameters = (operation.parameters ??= []);
  if (!parameters.some((p) => p.in === parameter.in && same(p.name ?? '', parameter.name ?? ''))) {
    parameters.push(parameter);
  }
}

/** Every handler of the app by `METHOD /path`, and by `@nestjs/swagger`'s default operationId. */
function routeIndex(routes: readonly AppRoute[]) {
  const byPath = new Map<string, AppRoute[]>();
  const byOperationId = new Map<string, AppRoute[]>();
  const push = (map: Map<string, AppRoute[]>, key: string, route: AppRoute) =>
    map.set(key, [...(map.get(key) ?? []), route]);
  for (const route of routes) {
    for (const path of route.paths) push(byPath, `${route.httpMethod} ${path}`, route);
    push(byOperationId, `${route.controller.name}_${route.methodName}`, route);
  }
  return { byPath, byOperationId };
}

/**
 * Adds to an OpenAPI document every error each of the app's routes can answer, found from the
 * same metadata and options the library's guards, pipe and filter read, with no decorator per
 * route: 401 with `WWW-Authenticate` where a key is asked for, 403 `forbidden` for
 * `@RequireScopes` and `@Tenant`, 403 `feature_not_entitled` for `@RequireFeature`, 429 with
 * `Retry-After` and the rate-limit headers, the validation failure of a DTO or schema, the
 * body's 400, 413 and 415, the Idempotency-Key header and its 400, 409 and 422, 500 on every
 * route, and what `@ApiErrorResponse` declares. Bodies are in the configured format, with one
 * component schema per shape; each example is rendered by the library's own renderer, so the
 * document cannot differ from what is sent. Also adds the API-key security scheme (`security:
 * []` on `@Public()` routes) and the `X-Request-Id` header of every response.
 *
 * Call it with the app once its modules are initialised (after `NestFactory.create`), and the
 * document `SwaggerModule.createDocument` built; it returns a new document and changes neither.
 * `@nestjs/swagger` itself is not needed by the library.
 *
 * @example
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
 * SwaggerModule.setup('docs', app, await addErrorResponses(app, document));
 */
export async function addErrorResponses<T extends OpenApiDocumentInput>(
  app: INestApplicationContext,
  document: T,
  options: ErrorDocumentOptions = {},
): Promise<T> {
  const settings = resolveErrorDocumentOptions(options);
  const contract = errorContractOf(app);
  const doc = structuredClone(document) as unknown as Document;
  const writer = new ResponseWriter(contract, settings, doc.openapi);
  const index = routeIndex(appRoutes(app));
  const apiKeys = contract.apiKeys;
  const logger = new Logger('ApiErrors');

  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of OPERATION_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const handlers =
        index.byPath.get(`${method.toUpperCase()} ${path}`) ??
        (operation.operationId ? index.byOperationId.get(operation.operationId) : undefined);
      if (!handlers) {
        logger.warn(
          `No handler of this app answers ${method.toUpperCase()} ${path}: its errors are not documented`,
        );
        continue;
      }
      const facts = routeFactsOf(handlers[0], contract);
      const variants = await routeErrors(facts, contract, settings.exampleRequestId);
      // Handlers sharing a path (header or media-type versions) add what the first lacks.
      for (const other of handlers.slice(1)) {
        const known = new Set(variants.map((v) => v.key));
        for (const variant of await routeErrors(
          routeFactsOf(other, contract),
          contract,
          settings.exampleRequestId,
        )) {
          if (!known.has(variant.key)) variants.push(variant);
        }
      }
      documentOperation(operation, facts, variants, writer, contract, settings);
    }
  }

  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ...writer.schemas };
  if (apiKeys) {
    doc.components.securitySchemes = {
      ...doc.components.securitySchemes,
      [settings.apiKeySchemeName]: {
        type: 'apiKey',
        in: 'header',
        name: apiKeys.header,
        description: 'An API key. Every route needs one unless it says otherwise.',
      },
      ...(apiKeys.bearer
        ? {
            [settings.bearerSchemeName]: {
              type: 'http',
              scheme: 'bearer',
              description: `The same API key as a bearer token, when the ${apiKeys.header} header is absent.`,
            },
          }
        : {}),
    };
  }
  return doc as unknown as T;
}

function documentOperation(
  operation: Operation,
  facts: RouteFacts,
  variants: readonly ErrorVariant[],
  writer: ResponseWriter,
  contract: ErrorContract,
  settings: ResolvedErrorDocumentOptions,
): void {
  const apiKeys = contract.apiKeys;
  if (apiKeys) {
    operation.security = facts.authenticated
      ? [
          { [settings.apiKeySchemeName]: [] },
          ...(apiKeys.bearer ? [{ [settings.bearerSchemeName]: [] }] : []),
        ]
      : [];
  }
  if (facts.idempotency) {
    const ttl = contract.idempotency.ttlMs;
    addParameter(operation, {
      name: 'Idempotency-Key',
      in: 'header',
      required: facts.idempotency.required,
      description: `Makes a retry safe: the first request with a key runs, and a retry with the same key and body gets its stored answer (with Idempotent-Replayed: true) for ${Math.round(ttl / 1000)} s. 1-255 characters of A-Z a-z 0-9 _ - : . (bare or in double quotes).`,
      schema: {
        type: 'string',
        pattern: '^(?:[A-Za-z0-9_\\-:.]{1,255}|"[A-Za-z0-9_\\-:.]{1,255}")$',
      },
    });
  }
  if (writer.answersPrecognition()) {
    addParameter(operation, {
      name: 'Precognition',
      in: 'header',
      required: false,
      description:
        'true: run every check of the request (authentication, limits, validation) but not the handler; a valid request gets 204.',
      schema: { type: 'string', enum: ['true'] },
    });
    addParameter(operation, {
      name: 'Precognition-Validate-Only',
      in: 'header',
      required: false,
      description:
        'With Precognition: the fields to report (comma-separated dot paths; `*` stands for one segment).',
      schema: { type: 'string' },
    });
  }

  const existing = operation.responses ?? {};
  const errors = writer.errorResponses(variants);
  const responses: Record<string, Response> = {};
  for (const [status, response] of Object.entries(existing)) {
    if (/^[23]/.test(status)) {
      responses[status] = {
        ...response,
        headers: { ...response.headers, ...writer.successHeaders(facts) },
      };
    }
  }
  if (writer.answersPrecognition()) {
    const own = responses['204'];
    responses['204'] = {
      ...own,
      description: own?.description
        ? `${own.description}\n\n${PRECOGNITION_SUCCESS}`
        : PRECOGNITION_SUCCESS,
      // The route's own 204 already has its headers; a precognitive one adds its own.
      headers: {
        ...(own?.headers ?? writer.successHeaders(facts)),
        ...precognitionSuccessHeaders(own === undefined),
      },
    };
  }
  const statuses = new Set([...Object.keys(existing), ...errors.keys()]);
  for (const status of [...statuses].sort()) {
    if (/^[23]/.test(status)) continue;
    const ours = errors.get(status);
    const theirs = existing[status];
    if (!ours) {
      responses[status] = theirs;
      continue;
    }
    responses[status] = theirs
      ? {
          ...theirs,
          ...ours,
          description: theirs.description
            ? `${theirs.description}\n\n${ours.description}`
            : ours.description,
          headers: { ...theirs.headers, ...ours.headers },
          content: { ...theirs.content, ...ours.content },
        }
      : ours;
  }
  operation.responses = sortResponses(responses);
}

/** Responses in status order, `default` last: the order documentation tools show them in. */
function sortResponses(responses: Record<string, Response>): Record<string, Response> {
  const sorted: Record<string, Response> = {};
  const keys = Object.keys(responses).sort((a, b) =>
    a === 'default' ? 1 : b === 'default' ? -1 : a.localeCompare(b),
  );
  for (const key of keys) sorted[key] = responses[key];
  return sorted;
}
