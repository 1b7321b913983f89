import type { ClassTransformOptions } from 'class-transformer';

/**
 * class-transformer's `plainToInstance`, specialised per class: the metadata it looks up for
 * every key of every object on every call (`@Type`, `@Expose`, `@Exclude`, `@Transform`, the
 * strategy, the ancestors) is read once per class, and what is left is the walk over the value.
 * The walk follows class-transformer 0.5's `TransformOperationExecutor.transform` step for step,
 * so that the instance it builds is the one class-transformer would build; the differential test
 * (`compiled-validation.spec.ts`) holds the two together.
 *
 * Classes it does not handle (`@Expose`, `@Exclude`, `@Transform`, discriminators, `Map` and
 * `Set` properties) and options other than the defaults, `enableImplicitConversion`,
 * `exposeDefaultValues` and `exposeUnsetFields` are refused with a reason, and the caller uses
 * class-transformer for them. Values that JSON and query strings do not produce (a `Map`, a
 * `Set`, a promise, an instance of some class) make one call give up ({@link GiveUp}).
 */
export class CompiledTransform {
  private readonly plans = new Map<ClassLike, ClassPlan | Refusal>();
  private readonly implicitConversion: boolean;
  private readonly exposeDefaultValues: boolean;
  private readonly exposeUnsetFields: boolean;
  private madeBinary = false;

  /** Why no class can be compiled with these options; undefined when they are supported. */
  readonly optionsRefusal: string | undefined;

  constructor(
    private readonly storage: TransformerMetadataStorage,
    options: ClassTransformOptions | undefined,
  ) {
    const { enableImplicitConversion, exposeDefaultValues, exposeUnsetFields, ...others } =
      options ?? {};
    this.implicitConversion = enableImplicitConversion === true;
    this.exposeDefaultValues = exposeDefaultValues === true;
    this.exposeUnsetFields = exposeUnsetFields !== false;
    const unsupported = Object.entries(others).find(
      ([key, value]) => value !== undefined && value !== DEFAULT_OPTIONS[key],
    );
    this.optionsRefusal = unsupported && `transformOptions.${unsupported[0]} is set`;
  }

  /** Whether `cls` (and every class its `@Type`s name) can be compiled, or why not. */
  refusal(cls: ClassLike): string | undefined {
    if (this.optionsRefusal !== undefined) return this.optionsRefusal;
    for (const type of [cls, ...this.reachable(cls)]) {
      const plan = this.planOf(type);
      if (plan instanceof Refusal) return plan.reason;
    }
    return undefined;
  }

  /** The classes `cls`'s `@Type`s name, theirs, and so on (`cls` left out). */
  reachable(cls: ClassLike): ClassLike[] {
    const seen = new Set<ClassLike>([cls]);
    const pending = [cls];
    while (pending.length > 0) {
      const plan = this.planOf(pending.pop() as ClassLike);
      if (plan instanceof Refusal) continue;
      for (const type of plan.types.values()) {
        const named = staticTypeOf(type);
        if (named === undefined || seen.has(named)) continue;
        seen.add(named);
        pending.push(named);
      }
    }
    seen.delete(cls);
    return [...seen];
  }

  /**
   * `plainToInstance(cls, plain)`, and whether it made a Buffer (Nest's pipe then looks for
   * binary values). Throws {@link GiveUp} for a value it does not handle; nothing it was given
   * is changed either way.
   */
  plainToInstance(cls: ClassLike, plain: unknown): { entity: unknown; binary: boolean } {
    this.madeBinary = false;
    const entity = this.transform(plain, cls, undefined, false);
    return { entity, binary: this.madeBinary };
  }

  private planOf(cls: ClassLike): ClassPlan | Refusal {
    let plan = this.plans.get(cls);
    if (plan === undefined) {
      plan = this.compile(cls);
      this.plans.set(cls, plan);
    }
    return plan;
  }

  private compile(cls: ClassLike): ClassPlan | Refusal {
    const storage = this.storage;
    const lineage = [cls, ...storage.getAncestors(cls)];
    const types = new Map<string, TypeMetadataLike>();
    for (const target of lineage) {
      if (storage._exposeMetadatas.get(target)?.size) return refuse(`@Expose on ${target.name}`);
      if (storage._excludeMetadatas.get(target)?.size) return refuse(`@Exclude on ${target.name}`);
      const transforms = storage._transformMetadatas.get(target);
      if (transforms?.size) {
        return refuse(`@Transform on ${target.name}.${String([...transforms.keys()][0])}`);
      }
      for (const name of storage._typeMetadatas.get(target)?.keys() ?? []) {
        if (typeof name !== 'string' || types.has(name)) continue;
        const metadata = storage.findTypeMetadata(cls, name) as TypeMetadataLike;
        if (metadata.options?.discriminator !== undefined) {
          return refuse(`@Type with a discriminator on ${cls.name}.${name}`);
        }
        if (metadata.reflectedType === Map || metadata.reflectedType === Set) {
          return refuse(`${cls.name}.${name} is a ${(metadata.reflectedType as ClassLike).name}`);
        }
        types.set(name, metadata);
      }
    }
    return { types };
  }

  /** Plan of a class met while walking: refused ones make the call give up. */
  private planWhileWalking(cls: ClassLike): ClassPlan {
    const plan = this.planOf(cls);
    if (plan instanceof Refusal) throw new GiveUp(plan.reason);
    return plan;
  }

  // The steps and their order are class-transformer's (see the class comment); only the
  // branches that PLAIN_TO_CLASS with a `source` of undefined can take are kept.
  private transform(
    value: unknown,
    targetType: ClassLike | undefined,
    arrayType: ClassLike | undefined,
    isMap: boolean,
  ): unknown {
    if (Array.isArray(value)) {
      const array = arrayType !== undefined ? instantiateArrayType(arrayType) : [];
      value.forEach((item: unknown) => {
        if (item instanceof Map) throw new GiveUp('a Map');
        array.push(this.transform(item, targetType, undefined, false));
      });
      return array;
    }
    if (value instanceof Set || value instanceof Map) throw new GiveUp('a Set or a Map');
    if (!isMap) {
      if (targetType === String)
        return value === null || value === undefined ? value : String(value);
      if (targetType === Number)
        return value === null || value === undefined ? value : Number(value);
      if (targetType === Boolean) {
        return value === null || value === undefined ? value : Boolean(value);
      }
      if (targetType === Date || value instanceof Date) {
        if (value instanceof Date) return new Date(value.valueOf());
        return value === null || value === undefined ? value : new Date(value as string);
      }
      if (targetType === Buffer || value instanceof Buffer) {
        if (value === null || value === undefined) return value;
        this.madeBinary = true;
        return Buffer.from(value as string);
      }
    }
    if (typeof value !== 'object' || value === null) return value;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new GiveUp('an instance of a class');
    }
    const source = value as Record<string, unknown>;
    // class-transformer takes a value's constructor for its type when it has none: for a plain
    // object that is Object (which it then ignores), for one without a prototype none. Any other
    // means an own `constructor` key, which Nest's pipe strips before this runs.
    if (
      targetType === undefined &&
      source.constructor !== Object &&
      source.constructor !== undefined
    ) {
      throw new GiveUp('an own constructor key');
    }
    const plan = targetType === undefined ? undefined : this.planWhileWalking(targetType);
    let target: Record<string, unknown> | Map<string, unknown>;
    if (isMap) target = new Map<string, unknown>();
    else if (targetType !== undefined) {
      target = new (targetType as new () => Record<string, unknown>)();
    } else target = {};
    const targetPrototype = (target.constructor as ClassLike | undefined)?.prototype as
      object | undefined;
    for (const key of Object.keys(source)) {
      if (key === '__proto__' || key === 'constructor') continue;
      const item = source[key];
      let type: ClassLike | undefined;
      let isItemMap = false;
      if (targetType !== undefined && isMap) type = targetType;
      else if (targetType !== undefined) {
        const metadata = plan?.types.get(key);
        if (metadata !== undefined) {
          type = metadata.typeFunction
            ? metadata.typeFunction({ newObject: target, object: source, property: key })
            : (metadata.reflectedType as ClassLike | undefined);
          isItemMap = metadata.reflectedType === Map;
        } else if (this.implicitConversion) {
          const reflected = Reflect.getMetadata(
            'design:type',
            targetType.prototype as object,
            key,
          ) as ClassLike | undefined;
          if (reflected) type = reflected;
        }
      }
      const itemArrayType = Array.isArray(item) ? plan?.types.get(key)?.reflectedType : undefined;
      if (targetPrototype) {
        const descriptor = Object.getOwnPropertyDescriptor(targetPrototype, key);
        if (
          (descriptor && !descriptor.set) ||
          (target as Record<string, unknown>)[key] instanceof Function
        ) {
          continue;
        }
      }
      let final: unknown;
      if (item === undefined && this.exposeDefaultValues) {
        final = (target as Record<string, unknown>)[key];
      } else {
        final = this.transform(item, type, itemArrayType as ClassLike | undefined, isItemMap);
      }
      if (final !== undefined || this.exposeUnsetFields) {
        if (target instanceof Map) target.set(key, final);
        else target[key] = final;
      }
    }
    return target;
  }
}

/** A class, as the metadata of class-transformer and class-validator is keyed. */
export type ClassLike = abstract new (...args: never[]) => unknown;

/** One call met a value {@link CompiledTransform} does not handle: use class-transformer. */
export class GiveUp extends Error {
  constructor(readonly what: string) {
    super(`the compiled path does not handle ${what}`);
  }
}

/** A class that cannot be compiled, and why (for the start-up log). */
export class Refusal {
  constructor(readonly reason: string) {}
}

function refuse(reason: string): Refusal {
  return new Refusal(reason);
}

interface ClassPlan {
  /** `@Type` metadata by property, the class's own first, then its ancestors'. */
  readonly types: ReadonlyMap<string, TypeMetadataLike>;
}

/** The parts of class-transformer's `TypeMetadata` read here. */
export interface TypeMetadataLike {
  readonly typeFunction?: (options: {
    newObject: unknown;
    object: Record<string, unknown>;
    property: string;
  }) => ClassLike;
  readonly reflectedType: unknown;
  readonly options?: { readonly discriminator?: unknown };
}

/** class-transformer's `defaultMetadataStorage`, including the maps it keeps privately. */
export interface TransformerMetadataStorage {
  findTypeMetadata(target: ClassLike, propertyName: string): unknown;
  getAncestors(target: ClassLike): ClassLike[];
  readonly _typeMetadatas: ReadonlyMap<ClassLike, ReadonlyMap<unknown, unknown>>;
  readonly _transformMetadatas: ReadonlyMap<ClassLike, ReadonlyMap<unknown, unknown>>;
  readonly _exposeMetadatas: ReadonlyMap<ClassLike, ReadonlyMap<unknown, unknown>>;
  readonly _excludeMetadatas: ReadonlyMap<ClassLike, ReadonlyMap<unknown, unknown>>;
}

/** class-transformer's defaults: options left at them change nothing. */
const DEFAULT_OPTIONS: Readonly<Record<string, unknown>> = {
  enableCircularCheck: false,
  excludeExtraneousValues: false,
  ignoreDecorators: false,
};

/** The class a `@Type(() => X)` names, when calling it needs no value. */
function staticTypeOf(metadata: TypeMetadataLike): ClassLike | undefined {
  if (!metadata.typeFunction) return undefined;
  try {
    const type = metadata.typeFunction({ newObject: {}, object: {}, property: '' });
    return typeof type === 'function' && !PRIMITIVE_TYPES.has(type) ? type : undefined;
  } catch {
    // A type function that needs the value is called with it on each request instead.
    return undefined;
  }
}

const PRIMITIVE_TYPES: ReadonlySet<unknown> = new Set([
  String,
  Number,
  Boolean,
  Date,
  Buffer,
  Array,
  Object,
]);

function instantiateArrayType(arrayType: ClassLike): unknown[] {
  const array = new (arrayType as new () => unknown)();
  // class-transformer keeps a Set here; a Set type was refused when the class was compiled.
  return Array.isArray(array) || (typeof array === 'object' && array !== null && 'push' in array)
    ? (array as unknown[])
    : [];
}
