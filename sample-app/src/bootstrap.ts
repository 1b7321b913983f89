import 'reflect-metadata';
import { Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { SampleAppConfig } from './config.js';

/** Request bodies above this size get 413 payload_too_large. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Builds the Bookings API on the configured platform, ready to `listen`. */
export async function createSampleApp(
  config: SampleAppConfig,
  logger: LoggerService | false = new Logger(),
): Promise<INestApplication> {
  if (config.platform === 'fastify') {
    const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config),
      adapter,
      {
        logger,
      },
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config),
    new ExpressAdapter(),
    { logger, bodyParser: false, abortOnError: false },
  );
  app.disable('x-powered-by');
  // strict: false accepts any JSON value, as Fastify does; validation then answers 422.
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES, strict: false });
  await app.init();
  return app;
}
