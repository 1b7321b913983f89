import { NotFoundException, type INestApplicationContext } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { unauthorizedHeaders } from '../auth/auth.errors.js';
import { ApiException } from '../errors/api.exception.js';
import { clientError } from '../filter/client-error-reply.js';
import type { RenderedError } from '../filter/render-error.js';
import { legacyHeaders } from '../rate-limit/rate-limit-headers.js';
import type { RouteWindow } from '../rate-limit/rate-limit.types.js';
import { appRoutes } from './app-routes.js';
import { CODE_MEANINGS, type RetryAdvice } from './code-meanings.js';
import { codeAsSent, errorContractOf, renderThrown, type ErrorContract } from './error-contract.js';
import {
  bodyShape,
  schemaContextOf,
  type JsonSchema,
  type SchemaContext,
} from './error-schemas.js';
import {
  resolveErrorsPageOptions,
  type ErrorsPageOptions,
  type ResolvedErrorsPageOptions,
} from './openapi.options.js';
import { describeWindow, routeErrors, routeFactsOf, type ErrorVariant } from './route-errors.js';

/** An instant every example of the page is set at, so that the page is the same on every run. */
const EXAMPLE_NOW = Date.UTC(2026, 4, 1, 9, 0, 0);

/** One row of the status table: a status, a code, and every cause the app has for it. */
interface CodeRow {
  status: number;
  code: string;
  variants: ErrorVariant[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function json(value: unknown): string {
  return '```json\n' + JSON.stringify(value, null, 2) + '\n```';
}

/** A raw HTTP answer: status line, the headers shown, the body. */
function http(reply: RenderedError, headers: Record<string, string> = {}): string {
  const all = { ...reply.headers, ...headers };
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}`.trimEnd()];
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
  return '```http\n' + lines.join('\n') + '\n\n' + reply.payload + '\n```';
}

/** The member rows of a shape's schema: dot paths, types and descriptions. */
function memberRows(schema: JsonSchema, prefix = ''): string[][] {
  const rows: string[][] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const own = (schema.required ?? []) as string[];
  for (const [name, member] of Object.entries(properties)) {
    const path = prefix + name;
    const types = ([] as unknown[]).concat(member.type ?? 'any').map(String);
    if (member.nullable === true) types.push('null');
    const always = own.includes(name) ? '' : ' Not always present.';
    rows.push([`\`${path}\``, types.join(' or '), `${String(member.description ?? '')}${always}`]);
    if (member.type === 'object' && member.properties) {
      rows.push(...memberRows(member, `${path}.`));
    }
  }
  return rows;
}

/** What a reader does about a status, in the words of the status table. */
function advice(retry: RetryAdvice): string {
  switch (retry) {
    case 'no':
      return 'No: fix the request first';
    case 'after':
      return 'Yes, after `Retry-After` seconds';
    case 'backoff':
      return 'Yes, with exponential backoff';
  }
}

/** Writes the page from the app's contract and the errors of all of its routes. */
class PageWriter {
  private readonly context: SchemaContext;
  private readonly sections: string[] = [];

  constructor(
    private readonly contract: ErrorContract,
    private readonly settings: ResolvedErrorsPageOptions,
    private readonly variants: readonly ErrorVariant[],
  ) {
    this.context = schemaContextOf(contract, false);
  }

  private render(thrown: unknown): RenderedError {
    return renderThrown(thrown, this.contract, this.settings.exampleRequestId);
  }

  private body(reply: RenderedError): unknown {
    return JSON.parse(reply.payload);
  }

  private code(code: string): string {
    return codeAsSent(code, this.contract);
  }

  private find(key: string): ErrorVariant | undefined {
    return this.variants.find((v) => v.key === key || v.key.startsWith(`${key}.`));
  }

  private add(...parts: string[]): void {
    this.sections.push(parts.join('\n\n'));
  }

  private get header(): string {
    return this.contract.requestContext.requestIdHeader;
  }

  private get customFormat(): boolean {
    return typeof this.contract.errorResponse.format === 'function';
  }

  intro(): void {
    const apiKeys = this.contract.apiKeys;
    this.add(
      `# ${this.settings.title}`,
      `Every error this API answers is JSON in one envelope, whichever route, check or failure it comes from, so that one piece of client code can handle them all. The HTTP status says what kind of failure it is; ${this.context.format === 'laravel' && !this.customFormat ? 'the body says what went wrong, in words' : 'the code in the body says which'}.`,
      'Read it when:',
      [
        '- writing the error handling of an integration',
        '- finding out why a request was refused',
        ...(apiKeys ? ['- wondering what a 401, a 403 or a 429 means'] : []),
      ].join('\n'),
    );
  }

  envelope(): void {
    const notFound = this.render(new NotFoundException('Cannot GET /'));
    const body = this.body(notFound);
    const contentType = notFound.headers['Content-Type'];
    const parts = [
      '## The error envelope',
      `Every error response has this shape (here the 404 of a path no route has), with \`Content-Type: ${contentType}\`:`,
      json(body),
    ];
    if (!this.customFormat) {
      const shape = bodyShape(body, 'not_found', this.context);
      parts.push(table(['Member', 'Type', 'Description'], memberRows(shape.schema)));
      const validation = this.find('validation_error');
      if (validation) {
        const vShape = bodyShape(this.body(validation.reply), 'validation_error', this.context);
        const extra = memberRows(vShape.schema).filter(
          (row) => !memberRows(shape.schema).some((base) => base[0] === row[0]),
        );
        parts.push(
          `A validation failure (${validation.reply.status}) adds the failing fields:`,
          table(['Member', 'Type', 'Description'], extra),
        );
      }
    }
    parts.push(
      `5xx answers never say what failed: the body holds only the generic message and the request id, and the server logs the rest.`,
    );
    this.add(...parts);
  }

  /** Every code the app answers with, by status. */
  statusTable(): void {
    const rows = new Map<string, CodeRow>();
    for (const variant of this.variants) {
      const code = variant.key.split('.')[0];
      const key = `${variant.reply.status} ${code}`;
      const row = rows.get(key) ?? { status: variant.reply.status, code, variants: [] };
      row.variants.push(variant);
      rows.set(key, row);
    }
    const sorted = [...rows.values()].sort(
      (a, b) => a.status - b.status || a.code.localeCompare(b.code),
    );
    const catalogue = this.contract.errorResponse.catalogue;
    const meaning = (code: string) =>
      (CODE_MEANINGS as Record<string, { meaning: string; retry: RetryAdvice } | undefined>)[code];
    const codeColumn = this.customFormat
      ? 'code'
      : this.context.format === 'laravel'
        ? 'code (not in the body)'
        : 'code';
    this.add(
      '## Status codes',
      table(
        ['HTTP status', codeColumn, 'Meaning', 'Retry?'],
        sorted.map((row) => {
          const known = meaning(row.code);
          // A code sent with a status other than its own (414, 431) says what that status means.
          const own = catalogue[row.code]?.status === row.status;
          const text = own
            ? (known?.meaning ?? catalogue[row.code]?.message ?? row.code)
            : row.variants.map((v) => v.summary).join(' ');
          const retry = known?.retry ?? (row.status >= 500 ? 'backoff' : 'no');
          // 414 and 431 are bad_request sent with a status of their own.
          const status = `${row.status}`;
          return [
            status,
            `\`${this.code(row.code)}\``,
            text,
            advice(row.status === 429 ? 'after' : retry),
          ];
        }),
      ),
    );
  }

  authentication(): void {
    const apiKeys = this.contract.apiKeys;
    const unauthorized = this.find('unauthorized');
    if (!apiKeys || !unauthorized) return;
    const how = apiKeys.bearer
      ? `the \`${apiKeys.header}\` header, or as \`Authorization: Bearer <key>\``
      : `the \`${apiKeys.header}\` header`;
    const parts = [
      '## Authentication errors (401)',
      `Every request needs an API key in ${how}, except on routes marked public. A 401 is returned whenever the request cannot be authenticated:`,
      [
        `- no key, or an empty one`,
        '- a key that is malformed or longer than 512 bytes',
        '- a key that does not exist or was never valid',
        '- a key that was revoked (from the next request on) or has passed its expiry date',
        '- a key used from an address outside its allowlist',
      ].join('\n'),
      http(unauthorized.reply),
      `Every one of them gets the same status, headers and body, byte for byte: the answer does not tell an attacker which keys exist. \`WWW-Authenticate\` names the header the key goes in (${Object.values(unauthorizedHeaders(apiKeys.header))[0]}).`,
    ];
    const blocked = this.find('rate_limit_exceeded.failed_authentications');
    if (blocked) {
      parts.push(
        `After ${apiKeys.failuresPerMinute} failed authentications in a minute, a client IP gets 429 \`${this.code('rate_limit_exceeded')}\` with \`Retry-After\` until the minute is over, whatever key it sends.`,
      );
    }
    this.add(...parts);
  }

  permissions(): void {
    const scopes = this.find('forbidden.scopes');
    const tenant = this.find('forbidden.tenant');
    if (!scopes && !tenant) return;
    const parts = [
      '## Permission errors (403)',
      `A valid key that may not do what it asks gets 403 \`${this.code('forbidden')}\`:`,
    ];
    const causes: string[] = [];
    if (scopes) causes.push('- the key lacks a scope the route requires;');
    if (tenant) causes.push("- the route names an organization other than the key's.");
    parts.push(causes.join('\n'), json(this.body((scopes ?? tenant)!.reply)));
    if (tenant) {
      parts.push('A 403 for another organization echoes no id of it.');
    }
    this.add(...parts);
  }

  features(): void {
    const features = this.contract.entitlements.features;
    const denied = this.find('feature_not_entitled');
    if (!denied) return;
    const body = this.body(denied.reply);
    const tiers = this.contract.entitlements.tiers;
    const parts = [
      `## Plan features (403 \`${this.code('feature_not_entitled')}\`)`,
      'A route that needs a feature the caller’s plan does not include answers 403 with what is missing:',
      json(body),
    ];
    if (!this.customFormat) {
      const shape = bodyShape(body, 'feature_not_entitled', this.context);
      const featureRows = memberRows(shape.schema).filter((row) =>
        ['feature', 'isTrial', 'upgradeRequired', 'requiredTier'].some((m) =>
          row[0].endsWith(`${m}\``),
        ),
      );
      parts.push(table(['Member', 'Type', 'Description'], featureRows));
    }
    parts.push(
      `Plan tiers, lowest first: ${tiers.map((t) => `\`${t}\``).join(', ')}. A caller has a feature when its tier ranks at or above the feature's, when it has a running trial of it, or when it bought it as an add-on.`,
      table(
        ['Feature', 'Included from tier'],
        Object.entries(features).map(([feature, tier]) => [
          `\`${feature}\``,
          tier === null ? 'none: sold as an add-on only' : `\`${tier}\``,
        ]),
      ),
    );
    this.add(...parts);
  }

  validation(): void {
    // The routes' own failures of an empty request: the one naming the most fields shows most.
    const failures = this.variants.filter((v) => v.key === 'validation_error');
    if (failures.length === 0) return;
    const example = failures.reduce((a, b) =>
      b.reply.payload.length > a.reply.payload.length ? b : a,
    );
    const status = this.contract.validation.status;
    this.add(
      `## Validation errors (${status})`,
      `A body, query or path parameter that fails validation gets ${status} \`${this.code('validation_error')}\` with every failing field, by its path in dot notation (\`customer.phone\`, \`items.0.sku\`). One route's answer to an empty request:`,
      json(this.body(example.reply)),
      `At most ${this.contract.validation.maxErrors} field errors are sent; \`omittedErrors\` counts the rest. Do not retry a validation failure as it is: fix the fields it names.`,
    );
  }

  rateLimits(): void {
    const rateLimit = this.contract.rateLimit;
    const exceeded = this.variants.find((v) => v.key === 'rate_limit_exceeded');
    if (!rateLimit || !exceeded) return;
    // With keys, requests are counted per key and organization; without, per client IP.
    const keyed = this.contract.apiKeys !== undefined;
    const counted = keyed
      ? [
          ...rateLimit.key.map((w) => ({ scope: 'key' as const, w })),
          ...rateLimit.organization.map((w) => ({ scope: 'organization' as const, w })),
        ]
      : rateLimit.ip.map((w) => ({ scope: 'ip' as const, w }));
    const windows: RouteWindow[] = counted.map(({ scope, w }) => ({
      scope,
      name: w.name,
      label: `${scope}-${w.name}`,
      limit: w.limit,
      ttlMs: w.ttl,
      routeKey: undefined,
    }));
    const shortest = windows.reduce((a, b) => (b.ttlMs < a.ttlMs ? b : a), windows[0]);
    const seconds = Number(exceeded.reply.headers['Retry-After']);
    const headers = legacyHeaders({
      limit: shortest?.limit ?? 1,
      remaining: 0,
      resetAt: EXAMPLE_NOW + seconds * 1000,
    });
    const tierRows = Object.entries(rateLimit.tiers).map(([tier, rule]) => [
      `\`${tier}\``,
      typeof rule === 'number'
        ? `${rule}× every key window`
        : Object.entries(rule)
            .map(([name, limit]) => `${name}: ${limit}`)
            .join(', '),
    ]);
    const parts = [
      '## Rate limits (429)',
      keyed
        ? 'Requests are counted per API key and per organization (per client IP on public routes). A request is admitted only when every window has room; a refused one counts nowhere.'
        : 'Requests are counted per client IP. A request is admitted only when every window has room; a refused one counts nowhere.',
      table(
        ['Window', 'Limit'],
        windows.map((w) => [`\`${w.label}\``, describeWindow(w)]),
      ),
    ];
    if (tierRows.length > 0)
      parts.push('Plan tiers change the key windows:', table(['Tier', 'Key windows'], tierRows));
    parts.push(
      'Every response of a limited route, successes included, says where the caller stands:',
      table(
        ['Header', 'Meaning'],
        [
          [
            '`X-RateLimit-Limit`',
            'Requests allowed in the most constraining window (the one with the fewest left).',
          ],
          ['`X-RateLimit-Remaining`', 'Requests left in it.'],
          ['`X-RateLimit-Reset`', 'When it ends, in Unix epoch seconds.'],
          ...(rateLimit.ietfHeaders
            ? [
                [
                  '`RateLimit-Policy`',
                  'Every window: its name, `q` its quota, `w` its length in seconds.',
                ],
                ['`RateLimit`', 'Every window: `r` requests left, `t` seconds until it resets.'],
              ]
            : []),
          ['`Retry-After`', 'On a 429: seconds until every full window has room again.'],
        ],
      ),
      'A request over a limit gets:',
      http(exceeded.reply, headers),
      `Always wait \`Retry-After\` seconds before sending it again. 401s do not count and carry none of these headers (failed authentications have a limit of their own); 403s do not count${this.contract.limitsOnRefusals ? ' but carry them' : ' and carry none either'}.`,
    );
    this.add(...parts);
  }

  idempotency(): void {
    const reused = this.variants.find((v) => v.key === 'idempotency_key_reused');
    const inUse = this.variants.find((v) => v.key === 'idempotency_key_in_use');
    if (!reused || !inUse) return;
    const hours = Math.round(this.contract.idempotency.ttlMs / 3_600_000);
    this.add(
      '## Idempotency',
      `Routes that take an \`Idempotency-Key\` header (1-255 characters of \`A-Z a-z 0-9 _ - : .\`) are safe to retry: the first request with a key runs, and a retry with the same key and body gets the stored answer, byte for byte, with \`Idempotent-Replayed: true\`, for ${hours} hours.`,
      table(
        ['HTTP status', 'code', 'When'],
        [
          [
            '400',
            `\`${this.code('bad_request')}\``,
            'The header is not a valid key (or is missing where a route requires one).',
          ],
          [
            String(inUse.reply.status),
            `\`${this.code('idempotency_key_in_use')}\``,
            'A request with the same key is still running: retry after `Retry-After` (1 s).',
          ],
          [
            String(reused.reply.status),
            `\`${this.code('idempotency_key_reused')}\``,
            'The key was used with another request (method, route or body): use a new key.',
          ],
        ],
      ),
      `Failed validations, 401, 403, 429${this.contract.idempotency.storeServerErrors ? '' : ' and 5xx'} are not stored: a corrected retry with the same key runs.`,
    );
  }

  requestIds(): void {
    const format = this.contract.errorResponse.format;
    const where =
      format === 'problem'
        ? 'and in the body as `instance`'
        : format === 'nested'
          ? 'and in the body as `request_id`'
          : this.contract.errorResponse.includeRequestId
            ? 'and in error bodies as `request_id`'
            : '';
    this.add(
      '## Request ids',
      `Every response, successes included, carries a request id in the \`${this.header}\` header${where ? ` ${where}` : ''}. Send your own (1-128 characters of \`A-Z a-z 0-9 . _ -\`) and it is kept; otherwise one is made. Quote it when asking for support: the server logs every error with it.`,
    );
  }

  handling(): void {
    if (this.customFormat) return;
    const key = this.contract.apiKeys?.header ?? 'X-API-Key';
    const base = this.settings.baseUrl;
    const request = [
      `const res = await fetch('${base}/v1/reports', {`,
      `  headers: { '${key}': process.env.API_KEY },`,
      '});',
      'if (!res.ok) {',
      '  const err = await res.json();',
    ];
    let body: string[];
    switch (this.context.format) {
      case 'flat':
        body = [
          "  if (err.error === 'feature_not_entitled') {",
          '    console.error(`Feature "${err.feature}" requires the ${err.requiredTier} plan.`);',
          '  } else {',
          "    console.error(`API error ${err.status}: ${err.error} (request ${res.headers.get('" +
            this.header +
            "')})`);",
          '  }',
        ];
        break;
      case 'problem':
        body = [
          this.contract.errorResponse.typeBaseUri === undefined
            ? '  const type = err.code;'
            : "  const type = err.type.split('/').pop();",
          "  if (type === 'feature_not_entitled') {",
          '    console.error(`Feature "${err.feature}" requires the ${err.requiredTier} plan.`);',
          '  } else {',
          '    console.error(`API error ${err.status} ${type}: ${err.detail} (request ${err.instance})`);',
          '  }',
        ];
        break;
      case 'nested':
        body = [
          "  if (err.error.code === 'FEATURE_NOT_ENTITLED') {",
          '    const { feature, requiredTier } = err.error.details;',
          '    console.error(`Feature "${feature}" requires the ${requiredTier} plan.`);',
          '  } else {',
          '    console.error(`API error ${res.status} ${err.error.code}: ${err.error.message} (request ${err.request_id})`);',
          '  }',
        ];
        break;
      case 'laravel':
        body = [
          "  if (res.status === 403 && 'feature' in err) {",
          '    console.error(`Feature "${err.feature}" requires the ${err.requiredTier} plan.`);',
          '  } else {',
          "    console.error(`API error ${res.status}: ${err.error ?? err.message} (request ${res.headers.get('" +
            this.header +
            "')})`);",
          '  }',
        ];
        break;
    }
    this.add(
      '## Handling errors',
      'A minimal error handler in JavaScript:',
      '```js\n' + [...request, ...body, '}'].join('\n') + '\n```',
    );
  }

  write(): string {
    this.intro();
    this.envelope();
    this.statusTable();
    this.authentication();
    this.permissions();
    this.features();
    this.validation();
    this.rateLimits();
    this.idempotency();
    this.requestIds();
    this.handling();
    return this.sections.join('\n\n') + '\n';
  }
}

/** Errors any request may meet before a route answers it: the server's and the router's. */
function appWideErrors(contract: ErrorContract, requestId: string): ErrorVariant[] {
  const variant = (key: string, summary: string, thrown: unknown): ErrorVariant => ({
    key,
    summary,
    reply: renderThrown(thrown, contract, requestId),
    withLimits: false,
    replayable: false,
  });
  return [
    variant('not_found', 'No route has this path.', new NotFoundException('Cannot GET /')),
    variant(
      'method_not_allowed',
      'The path takes other methods.',
      new ApiException('method_not_allowed', undefined, { headers: { Allow: 'GET, HEAD' } }),
    ),
    variant(
      'request_timeout',
      'The request was not sent in time.',
      clientError('ERR_HTTP_REQUEST_TIMEOUT'),
    ),
    variant(
      'bad_request.headers_too_large',
      'The request headers are too large.',
      clientError('HPE_HEADER_OVERFLOW'),
    ),
    variant('bad_request.http', 'The request is not valid HTTP.', clientError(undefined)),
  ];
}

/**
 * Writes the Errors page of an app, in Markdown, the way API providers publish theirs: the
 * envelope in the app's format with its members, every status and code the app answers with and
 * what each means, authentication, permissions, plan features and their tiers, validation, rate
 * limits with their headers and windows, idempotency, request ids, and a minimal handler. Read
 * from the same options and route metadata as {@link addErrorResponses}; every example is
 * rendered by the library's renderer.
 *
 * @example
 * await writeFile('docs/errors.md', await renderErrorsPage(app, { title: 'Bookings API errors' }));
 */
export async function renderErrorsPage(
  app: INestApplicationContext,
  options: ErrorsPageOptions = {},
): Promise<string> {
  const settings = resolveErrorsPageOptions(options);
  const contract = errorContractOf(app);
  const variants: ErrorVariant[] = [];
  const seen = new Set<string>();
  for (const route of appRoutes(app)) {
    for (const variant of await routeErrors(
      routeFactsOf(route, contract),
      contract,
      settings.exampleRequestId,
    )) {
      // One of each answer: the same error of several routes is shown once.
      const key = `${variant.reply.status} ${variant.key} ${variant.reply.payload}`;
      if (!seen.has(key)) {
        seen.add(key);
        variants.push(variant);
      }
    }
  }
  variants.push(...appWideErrors(contract, settings.exampleRequestId));
  return new PageWriter(contract, settings, variants).write();
}
