import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { routeArguments } from './route-arguments.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';
import { validationPackagesInstalled } from './validation-pipe.provider.js';

/** Types a parameter may have that class-validator would not validate anyway. */
const PLAIN: ReadonlySet<unknown> = new Set([String, Number, Boolean, Array, Object, Buffer, Date]);

/**
 * Without class-validator and class-transformer only Standard Schema parameters are validated.
 * At start, names every `@Body()`, `@Query()` and `@Param()` parameter typed with a class (a
 * class-validator DTO) and given no schema, which would reach its handler unchecked, and says
 * what to install; once, in one warning.
 */
@Injectable()
export class UnvalidatedClassesCheck implements OnModuleInit {
  private readonly logger = new Logger('ApiErrors');

  constructor(
    @Inject(VALIDATION_OPTIONS) private readonly options: ResolvedValidationOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    if (!this.options.enabled || validationPackagesInstalled()) return;
    const found: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      for (const method of this.scanner.getAllMethodNames(controller.prototype)) {
        found.push(...this.unvalidated(controller, method));
      }
    }
    if (found.length === 0) return;
    this.logger.warn(
      `class-validator and class-transformer are not installed, so these parameters typed with ` +
        `a class are not validated: ${found.join(', ')}. Install them ` +
        `(npm install class-validator class-transformer), or give each a Standard Schema ` +
        `(@Body({ schema })).`,
    );
  }

  private unvalidated(controller: new (...args: never[]) => unknown, method: string): string[] {
    const found: string[] = [];
    for (const { index, metadata } of routeArguments(controller, method)) {
      const type = metadata.metatype;
      if (metadata.schema !== undefined || typeof type !== 'function' || PLAIN.has(type)) continue;
      found.push(`${type.name} (${controller.name}.${method}, argument ${index})`);
    }
    return found;
  }
}
