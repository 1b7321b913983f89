import { describe, expect, it } from '@jest/globals';
import {
  Controller,
  Delete,
  Get,
  Module,
  Post,
  VersioningType,
  All,
  Version,
} from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { appRoutes, openApiPath } from './app-routes.js';

describe('openApiPath', () => {
  it.each([
    ['/v1/locations/:id', '/v1/locations/{id}'],
    ['/v1/stores/:storeId/orders', '/v1/stores/{storeId}/orders'],
    ['/files/*path', '/files/{path}'],
    ['/files{/:name}', '/files/{name}'],
    ['/v1/health', '/v1/health'],
    ['', '/'],
  ])('%s → %s', (path, expected) => {
    expect(openApiPath(path)).toBe(expected);
  });
});

@Controller('things')
class ThingsController {
  @Get(':id')
  find(): void {}

  @Post()
  create(): void {}

  @Delete(['a', 'b'])
  remove(): void {}

  @Version('2')
  @Get()
  list(): void {}
}

@Controller('health')
class HealthController {
  @All()
  any(): void {}
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

@Module({
  imports: [ThingsModule, RouterModule.register([{ path: 'shop', module: ThingsModule }])],
  controllers: [HealthController],
})
class AppModule {}

describe('appRoutes', () => {
  it('gives each handler the paths the router serves it at: prefix, module path, versions', async () => {
    const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
    app.setGlobalPrefix('api', { exclude: ['health'] });
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    try {
      const routes = appRoutes(app).map(
        (r) => `${r.httpMethod} ${r.paths.join(' ')} ${r.methodName}`,
      );
      expect(routes).toEqual(
        expect.arrayContaining([
          'GET /api/shop/things/{id} find',
          'POST /api/shop/things create',
          'DELETE /api/shop/things/a /api/shop/things/b remove',
          'GET /api/v2/shop/things list',
          'GET /health any',
          'POST /health any',
        ]),
      );
    } finally {
      await app.close();
    }
  });
});
