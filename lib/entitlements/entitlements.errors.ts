import { ApiException } from '../errors/api.exception.js';
import type { FeatureDenial } from './feature.guard.js';

/**
 * The 403 of a feature the principal lacks: `feature`, `isTrial`, `upgradeRequired` and
 * `requiredTier` as extension members. The feature guard throws it; the OpenAPI document and
 * the Errors page render it.
 */
export function featureNotEntitledError(denial: FeatureDenial): ApiException {
  const { allowed: _allowed, ...members } = denial;
  return new ApiException(
    'feature_not_entitled',
    `Your plan does not include the ${denial.feature} feature`,
    { extensions: members },
  );
}
