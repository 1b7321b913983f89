import { SetMetadata } from '@nestjs/common';

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
