import type { ClassTransformOptions } from 'class-transformer';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { createRequire } from 'node:module';
import {
  CompiledTransform,
  GiveUp,
  type ClassLike,
  type TransformerMetadataStorage,
} from './compiled-transform.js';
import {
  CompiledValidation,
  RETURNED_PROMISE,
  type ValidatorPackages,
} from './compiled-validation.js';

/**
 * Decides, once per DTO class, whether its transform and validation run compiled
 * ({@link CompiledTransform}, {@link CompiledValidation}) or through class-transformer and
 * class-validator, and runs whichever applies. A class is compiled whole or not at all: when
 * either half refuses it (or a class its `@Type`s name), both halves use the packages, and
 * {@link DtoCompiler.refusal} says why.
 */
export class DtoCompiler {
  private readonly decisions = new Map<ClassLike, string | null>();
  private readonly transformer: CompiledTransform;
  private readonly validation: CompiledValidation;

  private constructor(
    private readonly packages: LoadedPackages,
    private readonly transformOptions: ClassTransformOptions | undefined,
    validatorOptions: ValidatorOptions,
  ) {
    this.transformer = new CompiledTransform(packages.transformerStorage, transformOptions);
    this.validation = new CompiledValidation(packages.validator, validatorOptions);
  }

  /**
   * A compiler for one pipe's options, or undefined when class-validator or class-transformer
   * cannot be loaded (the pipe then never reaches it).
   */
  static create(
    transformOptions: ClassTransformOptions | undefined,
    validatorOptions: ValidatorOptions,
  ): DtoCompiler | undefined {
    const packages = loadPackages();
    return packages && new DtoCompiler(packages, transformOptions, validatorOptions);
  }

  /** Why `cls` is left to class-transformer and class-validator; undefined when compiled. */
  refusal(cls: ClassLike): string | undefined {
    let decision = this.decisions.get(cls);
    if (decision === undefined) {
      decision =
        this.transformer.refusal(cls) ??
        this.validation.refusal(cls, this.transformer.reachable(cls)) ??
        null;
      this.decisions.set(cls, decision);
    }
    return decision ?? undefined;
  }

  /**
   * `plainToInstance(cls, plain)`, compiled where it can be; `binary` is true when the result
   * may hold binary values (Nest's pipe looks for them then).
   */
  plainToInstance(cls: ClassLike, plain: unknown): { entity: unknown; binary: boolean } {
    try {
      return this.transformer.plainToInstance(cls, plain);
    } catch (error) {
      if (!(error instanceof GiveUp)) throw error;
      const entity = this.packages.transformer.plainToInstance(cls, plain, this.transformOptions);
      return { entity, binary: true };
    }
  }

  /**
   * The errors class-validator would give for an entity of a class {@link DtoCompiler.refusal}
   * compiles, or undefined where it must give them itself.
   */
  validate(entity: object): ValidationError[] | undefined {
    try {
      return this.validation.validate(entity);
    } catch (error) {
      if (!(error instanceof GiveUp)) throw error;
      // A check that is async after all: class-validator awaits it, for this class from now on.
      if (error === RETURNED_PROMISE) {
        this.decisions.set(entity.constructor as ClassLike, RETURNED_PROMISE.what);
      }
      return undefined;
    }
  }

  /** class-transformer's `classToPlain`, which Nest's pipe uses without `transform`. */
  classToPlain(entity: unknown): unknown {
    return this.packages.transformer.classToPlain(entity, this.transformOptions);
  }
}

interface LoadedPackages {
  readonly transformer: {
    plainToInstance(cls: ClassLike, plain: unknown, options?: ClassTransformOptions): unknown;
    classToPlain(entity: unknown, options?: ClassTransformOptions): unknown;
  };
  readonly transformerStorage: TransformerMetadataStorage;
  readonly validator: ValidatorPackages;
}

/**
 * class-transformer's public functions and its metadata storage (the CommonJS build Node loads
 * for both `import` and `require`), and class-validator's storage and error class.
 */
function loadPackages(): LoadedPackages | undefined {
  const require = createRequire(import.meta.url);
  try {
    const transformer = require('class-transformer') as LoadedPackages['transformer'];
    const { defaultMetadataStorage } = require('class-transformer/cjs/storage.js') as {
      defaultMetadataStorage: TransformerMetadataStorage;
    };
    const validator = require('class-validator') as {
      getMetadataStorage(): ValidatorPackages['storage'];
      ValidationError: ValidatorPackages['ValidationError'];
      ValidationTypes: ValidatorPackages['ValidationTypes'];
    };
    return {
      transformer,
      transformerStorage: defaultMetadataStorage,
      validator: {
        storage: validator.getMetadataStorage(),
        ValidationError: validator.ValidationError,
        ValidationTypes: validator.ValidationTypes,
      },
    };
  } catch {
    return undefined;
  }
}
