import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** Boots a benchmark app on HTTP_PLATFORM and PORT, as the sample app does. */
export async function listenBenchApp(
  module: object,
  configure: (app: INestApplication) => void = () => undefined,
): Promise<void> {
  const fastify = process.env.HTTP_PLATFORM === 'fastify';
  const app = await NestFactory.create(
    module as never,
    fastify ? new FastifyAdapter() : new ExpressAdapter(),
    {
      logger: ['error'],
    },
  );
  if (!fastify)
    (app.getHttpAdapter().getInstance() as { disable(name: string): void }).disable('x-powered-by');
  configure(app);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}
