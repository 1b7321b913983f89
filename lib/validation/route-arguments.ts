import type { ArgumentMetadata, Type } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { RouteArgumentSource } from '../platform/platform.js';

/** One `@Body()`, `@Query()` or `@Param()` argument of a handler, as the pipe sees it. */
export interface RouteArgument {
  readonly index: number;
  readonly source: RouteArgumentSource;
  /** The property named in the decorator (`@Param('id')`), if any. */
  readonly data: string | undefined;
  /** What Nest hands the pipe: the declared type, `data` and the Standard Schema, if any. */
  readonly metadata: ArgumentMetadata;
}

const SOURCES: Readonly<Partial<Record<number, RouteArgumentSource>>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

/**
 * A handler's `@Body()`, `@Query()` and `@Param()` arguments in parameter order, read from the
 * metadata Nest's router reads. Custom decorators are left out, as the validation pipe leaves
 * them unless `validateCustomDecorators` is set.
 */
export function routeArguments(controller: Type<unknown>, method: string): RouteArgument[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown; schema?: ArgumentMetadata['schema'] }
  >;
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype as object, method) ??
    []) as (Type<unknown> | undefined)[];
  const found: RouteArgument[] = [];
  // Keys are `<param type>:<index>`; a custom decorator's type is a string, not a number.
  for (const key of Object.keys(args)) {
    const source = SOURCES[Number(key.slice(0, key.indexOf(':')))];
    if (source === undefined) continue;
    const { index, data, schema } = args[key];
    const name = typeof data === 'string' ? data : undefined;
    found.push({
      index,
      source,
      data: name,
      metadata: { type: source, metatype: types[index], data: name, schema },
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Types a parameter may have that class-validator would not validate anyway. */
const PLAIN: ReadonlySet<unknown> = new Set([String, Number, Boolean, Array, Object, Buffer, Date]);

/** A `@Body()`, `@Query()` or `@Param()` parameter typed with a class and given no schema. */
export interface DtoParameter {
  readonly metatype: Type<unknown>;
  /** `Controller.method, argument N`, for start-up messages. */
  readonly where: string;
}

/** Every handler parameter of the app that class-validator would validate, in route order. */
export function dtoParameters(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): DtoParameter[] {
  const found: DtoParameter[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type<unknown> | undefined;
    if (!controller?.prototype) continue;
    for (const method of scanner.getAllMethodNames(controller.prototype as object)) {
      for (const { index, metadata } of routeArguments(controller, method)) {
        const type = metadata.metatype;
        if (metadata.schema !== undefined || typeof type !== 'function' || PLAIN.has(type))
          continue;
        found.push({ metatype: type, where: `${controller.name}.${method}, argument ${index}` });
      }
    }
  }
  return found;
}
