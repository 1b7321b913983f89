import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Post, VersioningType, Version } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiErrorsModule } from 'nest-api-errors';
import { CapturingLogger, PLATFORMS, listen, request, type RunningApp } from './support/harness.js';

@Controller('things')
class ThingsController {
  @Version('2')
  @Get()
  list() {
    return { things: [] };
  }

  @Post('import')
  import() {
    return { imported: true };
  }
}

@Module({ imports: [ApiErrorsModule.forRoot()], controllers: [ThingsController] })
class VersionedModule {}

describe.each(PLATFORMS)('405 beside header versioning on %s', (platform) => {
  let running: RunningApp;

  beforeAll(async () => {
    const logger = new CapturingLogger();
    const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
    const app = await NestFactory.create(VersionedModule, adapter, { logger });
    app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Api-Version' });
    await app.init();
    running = await listen(app, logger);
  });
  afterAll(() => running.close());

  it('answers the route of version 2 and a missing version with 404, not 405 Allow: GET', async () => {
    const v2 = await request(`${running.url}/things`, { headers: { 'x-api-version': '2' } });
    expect(v2.status).toBe(200);
    const v3 = await request(`${running.url}/things`, { headers: { 'x-api-version': '3' } });
    expect([v3.status, v3.headers.get('allow'), v3.json]).toEqual([
      404,
      null,
      { error: 'not_found', status: 404 },
    ]);
  });

  it('still answers another method on a versioned path with 405 and Allow', async () => {
    const reply = await request(`${running.url}/things/import`, { method: 'GET' });
    expect([reply.status, reply.headers.get('allow'), reply.json]).toEqual([
      405,
      'POST',
      { error: 'method_not_allowed', status: 405 },
    ]);
  });
});
