import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { HttpPlatform } from '../../sample-app/src/config.js';
import { CapturingLogger, listen, type RunningApp } from './harness.js';

/** Boots `module` on `platform`, on an ephemeral port of 127.0.0.1. */
export async function startTestApp(
  platform: HttpPlatform,
  module: Type<unknown> | DynamicModule,
  fastifyOptions: ConstructorParameters<typeof FastifyAdapter>[0] = {},
): Promise<RunningApp> {
  const logger = new CapturingLogger();
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(fastifyOptions), {
          logger,
          abortOnError: false,
        })
      : await NestFactory.create(module, new ExpressAdapter(), { logger, abortOnError: false });
  await app.init();
  if (platform === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return listen(app, logger);
}

export { keyRecord } from './key-record.js';
