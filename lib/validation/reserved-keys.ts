import type { FieldError } from '../errors/api-error.js';

/**
 * Keys that class-transformer drops without a word (it will not copy them onto an instance),
 * so that `forbidNonWhitelisted` never sees them: a body with them passed validation.
 */
const RESERVED = new Set(['__proto__', 'constructor']);

/**
 * Every own `__proto__` and `constructor` key anywhere in `value`, as the field error
 * `forbidNonWhitelisted` gives any other unknown property (`property customer.__proto__ should
 * not exist`), in document order, at most `limit`. Walks without recursion.
 */
export function reservedKeyErrors(value: unknown, limit: number): FieldError[] {
  const errors: FieldError[] = [];
  if (value === null || typeof value !== 'object') return errors;
  const stack: { node: object; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0 && errors.length < limit) {
    const { node, path } = stack.pop() as { node: object; path: string };
    const keys = Object.keys(node);
    const children: { node: object; path: string }[] = [];
    for (const key of keys) {
      const at = path === '' ? key : `${path}.${key}`;
      if (RESERVED.has(key) && !Array.isArray(node)) {
        if (errors.length < limit) {
          errors.push({
            path: at,
            message: `property ${at} should not exist`,
            constraint: 'whitelistValidation',
          });
        }
        continue;
      }
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') children.push({ node: child, path: at });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return errors;
}
