import { Ajv, type ValidateFunction } from 'ajv';
import type { Reply } from './harness.js';

/** The parts of an OpenAPI document the contract checks read. */
export interface HeaderDoc {
  required?: boolean;
  schema?: Record<string, unknown>;
}
export interface MediaDoc {
  schema?: Record<string, unknown>;
  examples?: Record<string, { value?: unknown }>;
}
export interface ResponseDoc {
  headers?: Record<string, HeaderDoc>;
  content?: Record<string, MediaDoc>;
}
export interface OperationDoc {
  operationId?: string;
  responses: Record<string, ResponseDoc>;
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, string[]>[];
}
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OperationDoc>>;
  components?: Record<string, Record<string, unknown>>;
}

/** `METHOD /template` of every operation, the way the fixtures name them. */
export function operationsOf(document: OpenApiDoc): Map<string, OperationDoc> {
  const operations = new Map<string, OperationDoc>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return operations;
}

/** A JSON Pointer token (RFC 6901). */
const token = (text: string) => text.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks answers against one app's document with a JSON Schema validator: bodies against the
 * schema of their status and media type, headers against theirs.
 */
export class ContractChecker {
  private readonly bodies = new Ajv({ strict: false, allErrors: true });
  // Header values are strings on the wire: `integer` means digits.
  private readonly headers = new Ajv({ strict: false, coerceTypes: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDoc) {
    this.bodies.addSchema(document as object, 'openapi');
  }

  private bodyValidator(path: string, method: string, status: string, type: string) {
    const pointer = ['paths', path, method, 'responses', status, 'content', type, 'schema']
      .map(token)
      .join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      const found = this.bodies.getSchema(`openapi#/${pointer}`);
      if (!found) throw new Error(`no schema at ${pointer}`);
      validate = found;
      this.compiled.set(pointer, validate);
    }
    return validate;
  }

  /**
   * Every way `reply` departs from the document: a status the operation does not list, a media
   * type it does not list for it, a body its schema rejects, a required header missing or a
   * header its schema rejects. Empty when the answer is as documented.
   */
  mismatches(operationKey: string, reply: Reply): string[] {
    const [method, path] = operationKey.split(' ');
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) return [`${operationKey} is not documented`];
    const status = String(reply.status);
    const response = operation.responses[status];
    if (!response) return [`${operationKey} answered ${status}, which it does not document`];
    const found: string[] = [];
    const at = `${operationKey} ${status}`;
    if (response.content) {
      const type = (reply.headers.get('content-type') ?? '').split(';')[0].trim();
      if (!(type in response.content)) {
        found.push(`${at}: Content-Type ${type} is not documented`);
      } else {
        const validate = this.bodyValidator(path, method.toLowerCase(), status, type);
        if (!validate(reply.json)) {
          found.push(
            `${at}: body ${reply.text} fails its schema: ${this.bodies.errorsText(validate.errors)}`,
          );
        }
      }
    }
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = reply.headers.get(name);
      if (value === null) {
        if (header.required) found.push(`${at}: required header ${name} is missing`);
        continue;
      }
      const check = this.headers.compile({
        type: 'object',
        properties: { value: header.schema ?? {} },
      });
      if (!check({ value })) found.push(`${at}: header ${name}: ${value} fails its schema`);
    }
    return found;
  }

  /** The example an operation documents under `status` and `key`, if any. */
  example(operationKey: string, status: string, key: string): unknown {
    const [method, path] = operationKey.split(' ');
    const content = this.document.paths[path]?.[method.toLowerCase()]?.responses[status]?.content;
    for (const media of Object.values(content ?? {})) {
      if (media.examples && key in media.examples) return media.examples[key].value;
    }
    return undefined;
  }
}

/**
 * `value` with what differs from request to request made alike: the example's request id
 * becomes `requestId`, and every number inside a string (seconds to wait) a `#`.
 */
export function comparable(value: unknown, exampleId: string, requestId: string): unknown {
  if (typeof value === 'string') return value.split(exampleId).join(requestId).replace(/\d+/g, '#');
  if (Array.isArray(value)) return value.map((v) => comparable(v, exampleId, requestId));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, comparable(v, exampleId, requestId)]),
    );
  }
  return value;
}
