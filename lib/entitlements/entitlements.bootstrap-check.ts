import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ApiErrorsConfigError } from '../shared/option-checks.js';
import { ENTITLEMENTS_OPTIONS, type ResolvedEntitlementsOptions } from './entitlements.options.js';
import { REQUIRED_FEATURES } from './require-feature.decorator.js';

/**
 * Stops the start when a `@RequireFeature` names a feature the `entitlements.features` option
 * does not define, so that a typo is found at boot rather than as a 403 in production.
 */
@Injectable()
export class EntitlementsBootstrapCheck implements OnModuleInit {
  constructor(
    @Inject(ENTITLEMENTS_OPTIONS) private readonly options: ResolvedEntitlementsOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const known = this.options.features;
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const onClass: string[] = Reflect.getMetadata(REQUIRED_FEATURES, controller) ?? [];
      const methods = this.scanner.getAllMethodNames(controller.prototype);
      const places: [string, string[]][] = [[controller.name, onClass]];
      for (const method of methods) {
        const handler = (controller.prototype as Record<string, unknown>)[method] as object;
        places.push([
          `${controller.name}.${method}`,
          Reflect.getMetadata(REQUIRED_FEATURES, handler) ?? [],
        ]);
      }
      for (const [place, features] of places) {
        const missing = features.find(
          (feature) => !Object.prototype.hasOwnProperty.call(known, feature),
        );
        if (missing !== undefined) {
          throw new ApiErrorsConfigError(
            'entitlements.features',
            `has no "${missing}", which @RequireFeature names on ${place}`,
            'Add it with the lowest tier that includes it, or null for an add-on-only feature.',
          );
        }
      }
    }
  }
}
