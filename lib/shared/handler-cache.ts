import type { ExecutionContext } from '@nestjs/common';

/**
 * What a guard works out from a route's metadata, computed once per (controller, handler) and
 * reused: metadata never changes after bootstrap, and reading it is the costly part of many
 * guards. Keyed by both, since one handler function may be inherited by several controllers.
 */
export class HandlerCache<T> {
  private readonly byClass = new WeakMap<object, WeakMap<object, T>>();

  get(context: ExecutionContext, compute: () => T): T {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) this.byClass.set(controller, (byHandler = new WeakMap()));
    let value = byHandler.get(handler);
    if (value === undefined) byHandler.set(handler, (value = compute()));
    return value;
  }
}
