import type { ValidationError, ValidatorOptions } from 'class-validator';
import { GiveUp, Refusal, type ClassLike } from './compiled-transform.js';

/**
 * class-validator's `validate`, specialised per class: the metadata it gathers, filters and
 * groups on every call (and for every nested object) is read once per class into a plan, each
 * decorator's constraint is resolved once, and the result is produced synchronously. The walk
 * follows class-validator's `ValidationExecutor` step for step (whitelisting, `IsDefined`,
 * `IsOptional`, the skip options, `each`, nested objects and arrays, contexts, messages and their
 * `$tokens`), so that it returns the same errors, in the same order, with the same messages; the
 * differential test (`compiled-validation.spec.ts`) holds the two together.
 *
 * Each constraint is checked by calling the same `validate` function class-validator calls:
 * every built-in decorator, and any other made with `ValidateBy` or `registerDecorator` and a
 * validator object, is such a function. Refused, and left to class-validator: a constraint class
 * of the app's own (`@ValidatorConstraint`, `@Validate`), async constraints, `@ValidateIf`,
 * `@ValidatePromise`, validation groups and `always`. A `validate` that returns a promise
 * anyway makes the call give up ({@link RETURNED_PROMISE}), and the class is left to
 * class-validator from then on.
 */
export class CompiledValidation {
  private readonly plans = new Map<ClassLike, ValidationPlan | Refusal>();
  private readonly options: ValidatorOptions;
  private readonly setTarget: boolean;
  private readonly setValue: boolean;
  private readonly forbidUnknownValues: boolean;

  /** Why no class can be compiled with these options; undefined when they are supported. */
  readonly optionsRefusal: string | undefined;

  constructor(
    private readonly packages: ValidatorPackages,
    options: ValidatorOptions,
  ) {
    this.options = options;
    this.setTarget = options.validationError?.target !== false;
    this.setValue = options.validationError?.value !== false;
    this.forbidUnknownValues = options.forbidUnknownValues !== false;
    this.optionsRefusal =
      (options.groups?.length ?? 0) > 0
        ? 'validation groups are set'
        : options.always === true
          ? 'always is set'
          : options.strictGroups === true
            ? 'strictGroups is set'
            : undefined;
  }

  /** Whether `cls` (and the classes of its nested values, where known) compiles, or why not. */
  refusal(cls: ClassLike, nested: readonly ClassLike[] = []): string | undefined {
    if (this.optionsRefusal !== undefined) return this.optionsRefusal;
    for (const type of [cls, ...nested]) {
      const plan = this.planOf(type);
      if (plan instanceof Refusal) return plan.reason;
    }
    return undefined;
  }

  /**
   * `validate(object)` with the options given, already stripped of empty errors; throws
   * {@link GiveUp} where class-validator must answer instead.
   */
  validate(object: object): ValidationError[] {
    const errors: ValidationError[] = [];
    this.execute(object as Record<string, unknown>, errors);
    return errors;
  }

  private planOf(cls: ClassLike): ValidationPlan | Refusal {
    let plan = this.plans.get(cls);
    if (plan === undefined) {
      plan = this.compile(cls);
      this.plans.set(cls, plan);
    }
    return plan;
  }

  private compile(cls: ClassLike): ValidationPlan | Refusal {
    const { storage, ValidationTypes: types } = this.packages;
    const { always = false, strictGroups = false, groups } = this.options;
    const metadatas = storage.getTargetValidationMetadatas(
      cls,
      '',
      always,
      strictGroups,
      groups,
    ) as MetadataLike[];
    // The same object class-validator groups into: its inherited members (`toString`,
    // `constructor`) take part in whitelisting exactly as they do there.
    const grouped = storage.groupByPropertyName(metadatas) as Record<string, MetadataLike[]>;
    const properties: PropertyPlan[] = [];
    for (const name of Object.keys(grouped)) {
      const all = grouped[name];
      for (const metadata of all) {
        const why = this.unsupported(metadata, cls);
        if (why !== undefined) return new Refusal(why);
      }
      const rest = all.filter((m) => m.type !== types.IS_DEFINED && m.type !== types.WHITELIST);
      const nested = rest.filter((m) => m.type === types.NESTED_VALIDATION);
      properties.push({
        name,
        defined: all.filter((m) => m.type === types.IS_DEFINED).map((m) => this.rule(m)),
        rules: rest.filter((m) => m.type === types.CUSTOM_VALIDATION).map((m) => this.rule(m)),
        nested,
        conditions: rest
          .filter((m) => m.type === types.CONDITIONAL_VALIDATION)
          .map((m) => m.constraints[0] as Condition),
        contexts: rest.some(hasContext) ? rest : undefined,
        definedContexts: all.some((m) => m.type === types.IS_DEFINED && hasContext(m)),
        items: nested.length > 0 ? itemsPlan(nested) : undefined,
      });
    }
    return { grouped, properties, empty: metadatas.length === 0 };
  }

  private unsupported(metadata: MetadataLike, cls: ClassLike): string | undefined {
    const types = this.packages.ValidationTypes;
    const where = `${cls.name}.${metadata.propertyName}`;
    if ((metadata.groups?.length ?? 0) > 0) return `validation groups on ${where}`;
    if (metadata.always !== undefined) return `always on ${where}`;
    if (metadata.validateIf !== undefined) return `validateIf on ${where}`;
    switch (metadata.type) {
      case types.WHITELIST:
      case types.NESTED_VALIDATION:
        return undefined;
      case types.CONDITIONAL_VALIDATION:
        return metadata.name === 'isOptional' ? undefined : `@ValidateIf on ${where}`;
      case types.CUSTOM_VALIDATION:
      case types.IS_DEFINED: {
        const constraints = this.packages.storage.getTargetValidatorConstraints(
          metadata.constraintCls as ClassLike,
        );
        for (const constraint of constraints) {
          if (constraint.async) return `async constraint ${constraint.name ?? ''} on ${where}`;
          // registerDecorator makes this class around a validator object (every built-in
          // decorator and ValidateBy); a class of the app's own may hold state or services.
          if ((constraint.target as ClassLike).name !== 'CustomConstraint') {
            return `constraint class ${(constraint.target as ClassLike).name} on ${where}`;
          }
        }
        return undefined;
      }
      default:
        return `@${metadata.type} on ${where}`;
    }
  }

  private rule(metadata: MetadataLike): Rule {
    const constraints = this.packages.storage.getTargetValidatorConstraints(
      metadata.constraintCls as ClassLike,
    );
    return {
      metadata,
      checks: constraints.map((constraint) => ({
        type: constraint.name ? constraint.name : metadata.type,
        instance: constraint.instance,
      })),
    };
  }

  /** Plan of a class met while walking: refused ones make the call give up. */
  private planWhileWalking(cls: unknown): ValidationPlan {
    if (typeof cls !== 'function') throw new GiveUp('a value without a constructor');
    const plan = this.planOf(cls as ClassLike);
    if (plan instanceof Refusal) throw new GiveUp(plan.reason);
    return plan;
  }

  // ValidationExecutor.execute
  private execute(object: Record<string, unknown>, errors: ValidationError[]): void {
    const plan = this.planWhileWalking(object.constructor);
    if (this.forbidUnknownValues && plan.empty) {
      const error = new this.packages.ValidationError();
      if (this.setTarget) error.target = object;
      error.value = undefined;
      error.property = undefined as unknown as string;
      error.children = [];
      error.constraints = { unknownValue: 'an unknown value was passed to the validate function' };
      errors.push(error);
      return;
    }
    if (this.options.whitelist) this.whitelist(object, plan.grouped, errors);
    const targetName = nameOf(object);
    for (const property of plan.properties) {
      this.performValidations(
        object,
        targetName,
        object[property.name],
        property.name,
        property,
        errors,
      );
    }
  }

  private whitelist(
    object: Record<string, unknown>,
    grouped: Record<string, MetadataLike[]>,
    errors: ValidationError[],
  ): void {
    for (const name of Object.keys(object)) {
      if (grouped[name] && grouped[name].length !== 0) continue;
      if (this.options.forbidNonWhitelisted) {
        const error = this.newError(object, object[name], name);
        error.children = undefined as unknown as ValidationError[];
        error.constraints = { whitelistValidation: `property ${name} should not exist` };
        errors.push(error);
      } else {
        delete object[name];
      }
    }
  }

  // ValidationExecutor.performValidations. The error is built only when it has something to
  // say: class-validator builds one for every property and strips the empty ones at the end,
  // leaving the same list.
  private performValidations(
    object: Record<string, unknown>,
    targetName: string | undefined,
    value: unknown,
    name: string,
    property: PropertyPlan,
    errors: ValidationError[],
  ): void {
    let canValidate = true;
    for (const condition of property.conditions) {
      canValidate = condition(object, value) && canValidate;
    }
    if (!canValidate) return;
    const found: Found = { constraints: undefined, children: undefined, contexts: undefined };
    this.check(object, targetName, value, property.defined, found);
    if (property.definedContexts) this.mapContexts(property.defined, found);
    const options = this.options;
    const skip =
      (value === undefined && options.skipUndefinedProperties === true) ||
      (value === null && options.skipNullProperties === true) ||
      ((value === null || value === undefined) && options.skipMissingProperties === true);
    if (!skip) {
      this.check(object, targetName, value, property.rules, found);
      this.nestedValidations(value, property, found);
      if (property.contexts !== undefined) {
        // class-validator maps them twice, all then the custom ones; a later context of the
        // same constraint type may overwrite an earlier one's members, so the order matters.
        this.mapContexts(property.contexts, found);
        this.mapContexts(property.rules, found);
      }
    }
    this.report(object, value, name, found, errors);
  }

  private report(
    object: object,
    value: unknown,
    name: string,
    found: Found,
    errors: ValidationError[],
  ): void {
    if (found.constraints === undefined && found.children === undefined) return;
    const error = this.newError(object, value, name);
    error.children = found.children ?? [];
    if (found.constraints !== undefined) error.constraints = found.constraints;
    else delete error.constraints;
    if (found.contexts !== undefined) error.contexts = found.contexts;
    errors.push(error);
  }

  // ValidationExecutor.customValidations
  private check(
    object: Record<string, unknown>,
    targetName: string | undefined,
    value: unknown,
    rules: readonly Rule[],
    found: Found,
  ): void {
    for (const { metadata, checks } of rules) {
      for (const { type, instance } of checks) {
        if (this.options.stopAtFirstError && found.constraints !== undefined) continue;
        const args = argumentsOf(object, targetName, value, metadata);
        let valid: unknown;
        if (
          !metadata.each ||
          !(Array.isArray(value) || value instanceof Set || value instanceof Map)
        ) {
          valid = instance.validate(value, args);
          if (isPromise(valid)) throw RETURNED_PROMISE;
        } else {
          const items =
            value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : [...value];
          const results = items.map((item) => instance.validate(item, args));
          if (results.some(isPromise)) throw RETURNED_PROMISE;
          valid = results.every(Boolean);
        }
        if (!valid) {
          found.constraints ??= {};
          found.constraints[type] = this.message(object, targetName, value, metadata, instance);
        }
      }
    }
  }

  // ValidationExecutor.nestedValidations
  private nestedValidations(value: unknown, property: PropertyPlan, found: Found): void {
    if (value === undefined) return;
    for (const metadata of property.nested) {
      if (this.options.stopAtFirstError && found.constraints !== undefined) continue;
      if (value instanceof Set || value instanceof Map) throw new GiveUp('a Set or a Map');
      if (Array.isArray(value)) {
        const items = property.items as PropertyPlan;
        const children = (found.children ??= []);
        const array = value as unknown as Record<string, unknown>;
        const arrayName = nameOf(array);
        value.forEach((item: unknown, index: number) => {
          this.performValidations(array, arrayName, item, index.toString(), items, children);
        });
        if (children.length === 0) found.children = undefined;
      } else if (value instanceof Object) {
        const children = (found.children ??= []);
        this.execute(value as Record<string, unknown>, children);
        if (children.length === 0) found.children = undefined;
      } else {
        // class-validator names the decorated class's constructor here (`Function`).
        const target = metadata.target as ClassLike;
        const args = argumentsOf(target, nameOf(target), value, metadata);
        found.constraints ??= {};
        found.constraints[metadata.type] = replaceTokens(metadata.message || '', args);
      }
    }
  }

  // ValidationExecutor.mapContexts
  private mapContexts(rules: readonly (Rule | MetadataLike)[], found: Found): void {
    for (const item of rules) {
      const metadata = 'checks' in item ? item.metadata : item;
      if (!hasContext(metadata)) continue;
      let type = metadata.type;
      if (metadata.type === this.packages.ValidationTypes.CUSTOM_VALIDATION) {
        const first = this.packages.storage.getTargetValidatorConstraints(
          metadata.constraintCls as ClassLike,
        )[0];
        if (first?.name) type = first.name;
      }
      if (found.constraints?.[type]) {
        found.contexts ??= {};
        found.contexts[type] = Object.assign(found.contexts[type] ?? {}, metadata.context);
      }
    }
  }

  // ValidationExecutor.createValidationError
  private message(
    object: Record<string, unknown>,
    targetName: string | undefined,
    value: unknown,
    metadata: MetadataLike,
    instance: ConstraintInstance,
  ): string {
    // A fresh object, as class-validator makes one for the message apart from the check's.
    const args = argumentsOf(object, targetName, value, metadata);
    let message: MessageLike = metadata.message || '';
    if (!metadata.message && !this.options.dismissDefaultMessages) {
      if (instance.defaultMessage instanceof Function) message = instance.defaultMessage(args);
    }
    return replaceTokens(message, args);
  }

  // ValidationExecutor.generateValidationError
  private newError(object: object, value: unknown, property: string): ValidationError {
    const error = new this.packages.ValidationError();
    if (this.setTarget) error.target = object;
    if (this.setValue) error.value = value;
    error.property = property;
    error.children = [];
    error.constraints = {};
    return error;
  }
}

/** What the compiled validation needs of class-validator. */
export interface ValidatorPackages {
  readonly storage: ValidatorMetadataStorage;
  readonly ValidationError: new () => ValidationError;
  readonly ValidationTypes: {
    readonly CUSTOM_VALIDATION: string;
    readonly NESTED_VALIDATION: string;
    readonly PROMISE_VALIDATION: string;
    readonly CONDITIONAL_VALIDATION: string;
    readonly WHITELIST: string;
    readonly IS_DEFINED: string;
  };
}

/** The parts of class-validator's `MetadataStorage` read here. */
export interface ValidatorMetadataStorage {
  getTargetValidationMetadatas(
    target: ClassLike,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): unknown[];
  groupByPropertyName(metadatas: unknown[]): Record<string, unknown[]>;
  getTargetValidatorConstraints(target: ClassLike): ConstraintMetadataLike[];
}

interface ConstraintMetadataLike {
  readonly target: unknown;
  readonly name?: string;
  readonly async: boolean;
  readonly instance: ConstraintInstance;
}

interface ConstraintInstance {
  validate(value: unknown, args: ValidationArgumentsLike): unknown;
  defaultMessage?(args: ValidationArgumentsLike): string;
}

type MessageLike = string | ((args: ValidationArgumentsLike) => string);

/** The parts of class-validator's `ValidationMetadata` read here. */
interface MetadataLike {
  readonly type: string;
  readonly name?: string;
  readonly target: unknown;
  readonly propertyName: string;
  readonly constraintCls?: unknown;
  readonly constraints: unknown[];
  readonly message?: MessageLike;
  readonly groups?: string[];
  readonly always?: boolean;
  readonly each?: boolean;
  readonly context?: object;
  readonly validateIf?: unknown;
}

interface ValidationArgumentsLike {
  targetName: string | undefined;
  property: string;
  object: object;
  value: unknown;
  constraints: unknown[];
}

type Condition = (object: object, value: unknown) => boolean;

interface Rule {
  readonly metadata: MetadataLike;
  readonly checks: readonly { readonly type: string; readonly instance: ConstraintInstance }[];
}

interface PropertyPlan {
  readonly name: string;
  readonly defined: readonly Rule[];
  readonly rules: readonly Rule[];
  readonly nested: MetadataLike[];
  readonly conditions: readonly Condition[];
  /** The metadatas whose contexts are mapped after the checks, when any has one. */
  readonly contexts: MetadataLike[] | undefined;
  readonly definedContexts: boolean;
  /** How the items of an array are checked: with the property's nested rules alone. */
  readonly items: PropertyPlan | undefined;
}

interface ValidationPlan {
  readonly grouped: Record<string, MetadataLike[]>;
  readonly properties: readonly PropertyPlan[];
  /** No metadata at all: with `forbidUnknownValues`, the value itself is refused. */
  readonly empty: boolean;
}

/** An error as it is being found: nothing is built for a property that passes. */
interface Found {
  constraints: Record<string, string> | undefined;
  children: ValidationError[] | undefined;
  contexts: Record<string, object> | undefined;
}

function hasContext(metadata: MetadataLike): boolean {
  return Boolean(metadata.context);
}

// ValidationExecutor.nestedValidations checks each item of an array as a property of the
// array, with the nested metadatas alone; items that are arrays again get the same.
function itemsPlan(nested: MetadataLike[]): PropertyPlan {
  const plan: { -readonly [K in keyof PropertyPlan]: PropertyPlan[K] } = {
    name: '',
    defined: [],
    rules: [],
    nested,
    conditions: [],
    contexts: nested.some(hasContext) ? nested : undefined,
    definedContexts: false,
    items: undefined,
  };
  plan.items = plan;
  return plan;
}

/** The `ValidationArguments` class-validator hands a constraint and its message. */
function argumentsOf(
  object: object,
  targetName: string | undefined,
  value: unknown,
  metadata: MetadataLike,
): ValidationArgumentsLike {
  return {
    targetName,
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
}

/** A `validate` returned a promise: class-validator must answer, for this class from now on. */
export const RETURNED_PROMISE = new GiveUp('a constraint whose validate returned a promise');

// class-validator's `object.constructor ? object.constructor.name : undefined`, read once per
// object rather than once per constraint.
function nameOf(object: object): string | undefined {
  const constructor = (object as { constructor?: { name?: string } }).constructor;
  return constructor ? constructor.name : undefined;
}

function isPromise(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const constraintTokens: RegExp[] = [];

/** `/\$constraintN/g`; `replace` starts a global pattern from 0 each time, so one serves all. */
function constraintToken(n: number): RegExp {
  return (constraintTokens[n] ??= new RegExp(`\\$constraint${n}`, 'g'));
}

// class-validator's constraintToString
function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint as string}`;
}

// class-validator's ValidationUtils.replaceMessageSpecialTokens
function replaceTokens(message: MessageLike, args: ValidationArgumentsLike): string {
  let text: string | undefined;
  if (message instanceof Function) text = message(args);
  else if (typeof message === 'string') text = message;
  if (text && Array.isArray(args.constraints)) {
    args.constraints.forEach((constraint, index) => {
      const replacement = constraintToString(constraint);
      // Without the token the replace changes nothing; the pattern is made once per index.
      if ((text as string).includes('$constraint')) {
        text = (text as string).replace(constraintToken(index + 1), replacement);
      }
    });
  }
  const value = args.value;
  if (
    text &&
    value !== undefined &&
    value !== null &&
    ['string', 'boolean', 'number'].includes(typeof value)
  ) {
    text = text.replace(/\$value/g, value as string);
  }
  if (text) text = text.replace(/\$property/g, args.property);
  if (text) text = text.replace(/\$target/g, args.targetName as string);
  return text as string;
}
