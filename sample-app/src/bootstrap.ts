import 'reflect-metadata';
import { Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { SampleAppConfig } from './config.js';
import { serveDocs } from './docs.js';

/** Request bodies above this size get 413 payload_too_large. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Builds the Bookings API on the configured platform, ready to `listen`. */
export async function createSampleApp(
  config: SampleAppConfig,
  logger: LoggerService | false = new Logger(),
): Promise<INestApplication> {
  if (config.platform === 'fastify') {
    const adapter = new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      // Fastify's JSON parser would turn a body with a __proto__ or constructor key away with
      // 400 before validation, where Express' keeps the key: the validation pipe rejects it at
      // its path instead (422), on both platforms alike.
      onProtoPoisoning: 'ignore',
      onConstructorPoisoning: 'ignore',
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config),
      adapter,
      {
        logger,
      },
    );
    limitSlowClients(app.getHttpServer(), config.timeouts);
    await serveDocs(app);
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
  limitSlowClients(app.getHttpServer(), config.timeouts);
  await serveDocs(app);
  await app.init();
  return app;
}

/**
 * Server timeouts, so that a client that sends its headers or body slowly, or holds an idle
 * connection, cannot keep a connection open for long (Fastify waits for a request body for
 * ever by default, Node for 5 minutes). Node checks the first two on an interval (30 s by
 * default, read when the server starts listening): a tenth of the shorter one, at most 1 s,
 * so that a request is cut close to its time.
 */
function limitSlowClients(server: Server, timeouts: SampleAppConfig['timeouts']): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  const check = Math.min(1000, Math.max(10, Math.floor(timeouts.headersMs / 10)));
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = check;
}
