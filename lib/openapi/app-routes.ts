import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_PATH,
  PATH_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants.js';
import { ApplicationConfig, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';

/** One handler of the app as its router serves it. */
export interface AppRoute {
  readonly controller: Type<unknown>;
  /** The handler function, which carries the route's metadata. */
  readonly handler: object;
  readonly methodName: string;
  /** Upper case: `GET`, `POST`, …. */
  readonly httpMethod: string;
  /** The paths it answers, as OpenAPI writes them (`/v1/locations/{id}`). */
  readonly paths: readonly string[];
}

/** The methods a `@All()` handler answers, as `@nestjs/swagger` lists them. */
const ALL_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'SEARCH'];

/**
 * A Nest route path as OpenAPI writes it: `:id` and `*rest` become `{id}` and `{rest}`; the
 * braces of an optional group (path-to-regexp 8) and escapes are dropped.
 */
export function openApiPath(path: string): string {
  const converted = path
    .replace(/\\(.)/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
  return converted === '' ? '/' : converted;
}

/**
 * Every handler of every controller with the paths Nest's router registers for it: the same
 * factory the router uses (global prefix and its exclusions, `RouterModule` paths, URI
 * versions), so that each OpenAPI operation can be traced back to the handler that answers it.
 */
export function appRoutes(app: INestApplicationContext): AppRoute[] {
  const modules = app.get(ModulesContainer, { strict: false });
  const config = app.get(ApplicationConfig, { strict: false });
  const factory = new RoutePathFactory(config);
  const scanner = new MetadataScanner();
  const globalPrefix = config.getGlobalPrefix();
  const versioningOptions = config.getVersioning();
  const routes: AppRoute[] = [];
  for (const module of modules.values()) {
    const modulePath: string | undefined =
      Reflect.getMetadata(MODULE_PATH + modules.applicationId, module.metatype) ??
      Reflect.getMetadata(MODULE_PATH, module.metatype);
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      const ctrlPaths = toList<string>(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
      const controllerVersion = Reflect.getMetadata(VERSION_METADATA, controller);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const methodName of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName] as object;
        const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPath === undefined) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler);
        const paths = new Set<string>();
        for (const ctrlPath of ctrlPaths) {
          for (const path of factory.create(
            {
              ctrlPath,
              methodPath: methodPath as string,
              globalPrefix,
              modulePath,
              controllerVersion,
              methodVersion,
              versioningOptions,
            },
            requestMethod,
          )) {
            paths.add(openApiPath(path));
          }
        }
        const methods =
          requestMethod === RequestMethod.ALL ? ALL_METHODS : [RequestMethod[requestMethod]];
        for (const httpMethod of methods) {
          routes.push({ controller, handler, methodName, httpMethod, paths: [...paths] });
        }
      }
    }
  }
  return routes;
}

function toList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}
