import type { FieldError } from '../errors/api-error.js';

/** Nest's ValidationPipe marks a truncated list with this message (or a `...` group). */
const NEST_OMITTED_MESSAGE = 'Further validation errors were omitted';
/** A leading property path in a class-validator message: `customer.phone must be …`. */
const LEADING_PATH = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s/;

export interface StockValidationResult {
  readonly fieldErrors: FieldError[];
  readonly omitted: number;
}

/** Rewrites a grouped message (`phone must be …`) so that it names the full path. */
function withFullPath(path: string, message: string): string {
  const property = path.slice(path.lastIndexOf('.') + 1);
  return property !== path && message.startsWith(property + ' ')
    ? path + message.slice(property.length)
    : message;
}

/**
 * Recognises the body of a stock Nest `ValidationPipe` error — `message` as a list of strings
 * (`errorFormat: 'list'`) or as a map from path to strings (`errorFormat: 'grouped'`) — so that
 * it is rendered as field errors rather than as a bad request with a list.
 */
export function fromStockValidationResponse(
  response: unknown,
  limit = 100,
): StockValidationResult | undefined {
  if (!response || typeof response !== 'object') return undefined;
  const { message } = response as { message?: unknown };
  const fieldErrors: FieldError[] = [];
  let omitted = 0;
  const add = (error: FieldError) => {
    if (fieldErrors.length < limit) fieldErrors.push(error);
    else omitted++;
  };

  if (Array.isArray(message)) {
    if (message.length === 0 || !message.every((m) => typeof m === 'string')) return undefined;
    for (const text of message as string[]) {
      if (text === NEST_OMITTED_MESSAGE) {
        omitted++;
        continue;
      }
      add({ path: LEADING_PATH.exec(text)?.[1] ?? '*', message: text });
    }
    return { fieldErrors, omitted };
  }

  if (message && typeof message === 'object') {
    const entries = Object.entries(message as Record<string, unknown>);
    if (
      entries.length === 0 ||
      !entries.every(([, v]) => Array.isArray(v) && v.every((m) => typeof m === 'string'))
    ) {
      return undefined;
    }
    for (const [path, messages] of entries as [string, string[]][]) {
      if (path === '...') {
        omitted++;
        continue;
      }
      for (const text of messages) add({ path, message: withFullPath(path, text) });
    }
    return { fieldErrors, omitted };
  }
  return undefined;
}
