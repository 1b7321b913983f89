import type { INestApplication, LoggerService } from '@nestjs/common';
import { createSampleApp } from '../../sample-app/src/bootstrap.js';
import { loadConfig, type HttpPlatform } from '../../sample-app/src/config.js';
import type { ErrorFormatName } from 'nest-api-errors';
import { observeServer } from './observed-statuses.js';

export const PLATFORMS: readonly HttpPlatform[] = ['express', 'fastify'];
export const FORMATS: readonly ErrorFormatName[] = ['flat', 'problem', 'nested', 'laravel'];

/** Every platform × format pair, for `describe.each`. */
export const MATRIX: readonly [HttpPlatform, ErrorFormatName][] = PLATFORMS.flatMap((platform) =>
  FORMATS.map((format): [HttpPlatform, ErrorFormatName] => [platform, format]),
);

/** A logger that keeps every line, so tests can read what the server logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];
  private readonly waiting: { level: string; pattern: RegExp; resolve: (text: string) => void }[] =
    [];
  private push(level: string, message: unknown, rest: unknown[]) {
    const text = [message, ...rest].map(String).join(' ');
    this.lines.push({ level, text });
    for (const waiter of [...this.waiting]) {
      if (waiter.level === level && waiter.pattern.test(text)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  }
  /** The first line at `level` matching `pattern`: one already logged, or the next one. */
  next(level: string, pattern: RegExp): Promise<string> {
    const logged = this.lines.find((l) => l.level === level && pattern.test(l.text));
    if (logged) return Promise.resolve(logged.text);
    return new Promise((resolve) => this.waiting.push({ level, pattern, resolve }));
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.push('fatal', message, rest);
  }
  /** All lines at `level` as one string. */
  text(level?: string): string {
    return this.lines
      .filter((l) => !level || l.level === level)
      .map((l) => l.text)
      .join('\n');
  }
}

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly logger: CapturingLogger;
  close(): Promise<void>;
}

/** Listens on an ephemeral port of 127.0.0.1 and returns the base URL. */
export async function listen(app: INestApplication, logger: CapturingLogger): Promise<RunningApp> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, logger, close: () => app.close() };
}

/**
 * Boots the sample app, configured from `env` exactly as `npm start` would be. What it answers
 * is recorded and checked against its own OpenAPI document after the suite
 * (undocumented-answers.ts).
 */
export async function startSampleApp(env: Record<string, string>): Promise<RunningApp> {
  const logger = new CapturingLogger();
  const app = await createSampleApp(loadConfig({ PORT: '0', ...env }), logger);
  const running = await listen(app, logger);
  const stop = observeServer(app.getHttpServer(), running.url, JSON.stringify(env));
  return {
    ...running,
    close: async () => {
      await running.close();
      stop();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** One request with fetch; the body is read whole. */
export async function request(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Reply> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const response = await fetch(url, {
    ...rest,
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: parsed };
}

/** The Content-Type each format sends. */
export function contentTypeOf(format: ErrorFormatName): string {
  return format === 'problem' ? 'application/problem+json' : 'application/json; charset=utf-8';
}

/** How one error reads in each format; tests spell these out, never derive them from lib/. */
export interface ExpectedError {
  code: string;
  status: number;
  title: string;
  nestedCode: string;
  problemType: string;
  message: string;
  /** laravel renders 429 and 5xx with fixed messages. */
  laravel?: Record<string, unknown>;
}

/**
 * RFC 9110's status phrases: the title of an `about:blank` problem (no ERROR_TYPE_BASE_URI); a
 * status without one (418) keeps the code's title.
 */
export const STATUS_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The exact body of a simple (non-validation) error in `format`. */
export function expectedBody(
  format: ErrorFormatName,
  e: ExpectedError,
  requestId: string,
): unknown {
  switch (format) {
    case 'flat':
      return { error: e.code, status: e.status };
    case 'problem':
      return {
        type: 'about:blank',
        title: STATUS_PHRASES[e.status] ?? e.title,
        status: e.status,
        detail: e.message,
        instance: requestId,
        code: e.problemType,
      };
    case 'nested':
      return { error: { code: e.nestedCode, message: e.message }, request_id: requestId };
    case 'laravel':
      return e.laravel ?? { error: e.message };
  }
}

export const REQUEST_ID = /^req_[0-9a-f]{32}$/;
