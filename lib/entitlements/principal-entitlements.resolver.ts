import type { ApiPrincipal } from '../request-context/request-context.js';
import type { Entitlements, EntitlementsResolver } from './entitlements.types.js';

/** The default resolver: tier, trials and add-ons as the API key record holds them. */
export class PrincipalEntitlementsResolver implements EntitlementsResolver {
  resolve(principal: ApiPrincipal): Entitlements {
    return { tier: principal.tier, trials: principal.trials, addons: principal.addons };
  }
}
