import { Inject, Injectable, Logger, type OnModuleInit, type PipeTransform } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ApiValidationPipe } from './api-validation.pipe.js';
import { dtoParameters } from './route-arguments.js';
import { VALIDATION_OPTIONS, type ResolvedValidationOptions } from './validation.options.js';
import { VALIDATION_PIPE, validationPackagesInstalled } from './validation-pipe.provider.js';

/**
 * At start, looks at every `@Body()`, `@Query()` and `@Param()` parameter typed with a class
 * (a class-validator DTO) and given no schema, and says once what is worth knowing about them:
 * - without class-validator and class-transformer, that they reach their handlers unchecked,
 *   and what to install;
 * - with `validation.compile` on, which DTO classes are not compiled and why, so that they are
 *   validated by class-validator as before.
 */
@Injectable()
export class UnvalidatedClassesCheck implements OnModuleInit {
  private readonly logger = new Logger('ApiErrors');

  constructor(
    @Inject(VALIDATION_OPTIONS) private readonly options: ResolvedValidationOptions,
    @Inject(VALIDATION_PIPE) private readonly pipe: PipeTransform,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    if (!this.options.enabled) return;
    const parameters = dtoParameters(this.discovery, this.scanner);
    if (parameters.length === 0) return;
    if (!validationPackagesInstalled()) {
      this.logger.warn(
        `class-validator and class-transformer are not installed, so these parameters typed with ` +
          `a class are not validated: ${parameters.map((p) => `${p.metatype.name} (${p.where})`).join(', ')}. ` +
          `Install them (npm install class-validator class-transformer), or give each a ` +
          `Standard Schema (@Body({ schema })).`,
      );
      return;
    }
    if (!this.options.compile || !(this.pipe instanceof ApiValidationPipe)) return;
    const refused = new Map<string, string>();
    for (const { metatype } of parameters) {
      const reason = this.pipe.compiledRefusal(metatype);
      if (reason !== undefined) refused.set(metatype.name, reason);
    }
    if (refused.size === 0) return;
    this.logger.log(
      `These DTO classes are validated by class-validator, not compiled: ` +
        `${[...refused].map(([name, reason]) => `${name} (${reason})`).join(', ')}.`,
    );
  }
}
