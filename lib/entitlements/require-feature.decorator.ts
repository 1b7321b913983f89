import { SetMetadata, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const REQUIRED_FEATURES = 'nest-api-errors:features';

/**
 * Requires every named feature. On a controller and on a handler, the features add up. A
 * principal without one gets 403 feature_not_entitled with `feature`, `isTrial`,
 * `upgradeRequired` and `requiredTier`. Every feature named must be in the `entitlements.features`
 * option, or the app does not start.
 *
 * @example
 * @RequireFeature('api_access')
 * @Get('reports')
 * reports() { … }
 */
export const RequireFeature = (...features: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_FEATURES, features);

/**
 * Every feature `@RequireFeature` names on a handler and its controller: what the feature guard
 * checks and what the OpenAPI document describes, from the same metadata.
 */
export function requiredFeaturesOf(
  reflector: Reflector,
  handler: object,
  controller: object,
): string[] {
  // Reflector reads metadata off any function; it is typed for classes and handlers alike.
  return reflector.getAllAndMerge<string[]>(REQUIRED_FEATURES, [
    controller,
    handler,
  ] as Type<unknown>[]);
}
