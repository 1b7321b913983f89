import type { ExecutionContext } from '@nestjs/common';
import type { ResolvedRequestContextOptions } from './request-context.options.js';

/**
 * How a guard treats the call in `context`: `'http'` for an HTTP request, else the app's
 * policy for that transport (`'deny'` unless it opted out with `'skip'`). A context type the
 * library does not know of is always `'deny'`: a guard never waves through what it cannot check.
 */
export function contextPolicyOf(
  context: ExecutionContext,
  options: ResolvedRequestContextOptions,
): 'http' | 'deny' | 'skip' {
  const type = context.getType<string>();
  if (type === 'http') return 'http';
  return (
    (options.contexts as Readonly<Record<string, 'deny' | 'skip' | undefined>>)[type] ?? 'deny'
  );
}
