import {
  BadRequestException,
  Body,
  Controller,
  Post,
  UsePipes,
  ValidationPipe,
  Get,
  HttpException,
  Injectable,
  Module,
  Param,
  ParseIntPipe,
  Res,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import type { ServerResponse } from 'node:http';
import { Observable, throwError } from 'rxjs';
import {
  ApiErrorsModule,
  ApiException,
  Idempotent,
  Principal,
  RequestId,
  RateLimit,
  RequireScopes,
  SkipRateLimit,
  Tenant,
  getRequestId,
  type ApiErrorsModuleOptions,
  type ApiPrincipal,
} from 'nest-api-errors';
import type { HttpPlatform } from '../../sample-app/src/config.js';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { RunningApp } from './harness.js';
import { startTestApp } from './test-app.js';

declare module 'nest-api-errors' {
  interface ApiErrorCodeRegistry {
    booking_locked: true;
  }
}

/** A third-party exception, as libraries ship them. */
export class TeapotException extends HttpException {
  constructor() {
    super('I refuse to brew coffee', 418);
  }
}

class StockInner {
  @IsInt()
  @Min(1)
  qty!: number;
}

/** Validated by a stock Nest ValidationPipe the route applies itself. */
export class StockDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => StockInner)
  inner!: StockInner;
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    throw new ApiException('forbidden', 'Guard said no');
  }
}

@Injectable()
class AsyncDenyGuard implements CanActivate {
  async canActivate(): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return false; // Nest turns this into a ForbiddenException
  }
}

@Injectable()
class FailingInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, _next: CallHandler): Observable<unknown> {
    return throwError(() => new ApiException('conflict', 'Interceptor conflict'));
  }
}

class ThrowingMiddleware implements NestMiddleware {
  use(): void {
    throw new ApiException('booking_locked');
  }
}

class AsyncThrowingMiddleware implements NestMiddleware {
  async use(): Promise<void> {
    await Promise.resolve();
    throw new Error('middleware secret');
  }
}

@Injectable()
export class AuditService {
  whoAmI(): string | undefined {
    return getRequestId();
  }
}

/** What GET /o/throw-next throws next: tests set it. */
let nextThrow: unknown;
export function setNextThrow(value: unknown): void {
  nextThrow = value;
}

/** Counts executions of the idempotent route, per app. */
let executions = 0;

@Controller('o')
class OriginsController {
  constructor(private readonly audit: AuditService) {}

  @Get('throw-next')
  throwNext(): never {
    throw nextThrow;
  }

  @Post('idem')
  @Idempotent()
  idem(@Body() body: unknown): { execution: number; body: unknown } {
    executions += 1;
    return { execution: executions, body };
  }

  @Get('guard')
  @UseGuards(DenyGuard)
  guard(): string {
    return 'unreachable';
  }

  @Get('async-guard')
  @UseGuards(AsyncDenyGuard)
  asyncGuard(): string {
    return 'unreachable';
  }

  @Get('interceptor')
  @UseInterceptors(FailingInterceptor)
  interceptor(): string {
    return 'unreachable';
  }

  @Get('pipe/:n')
  pipe(@Param('n', ParseIntPipe) n: number): { n: number } {
    return { n };
  }

  @Get('middleware')
  middleware(): string {
    return 'unreachable';
  }

  @Get('async-middleware')
  asyncMiddleware(): string {
    return 'unreachable';
  }

  @Get('async-handler')
  async asyncHandler(): Promise<never> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new ApiException('conflict', 'Async conflict');
  }

  @Get('throw/:kind')
  throwKind(@Param('kind') kind: string): never {
    switch (kind) {
      case 'string':
        throw 'a thrown string with secret';
      case 'null':
        throw null;
      case 'undefined':
        throw undefined;
      case 'bogus-status':
        throw Object.assign(new Error('secret'), { status: 404, statusCode: 404 });
      case 'object':
        throw { status: 400, message: 'not an error' };
      case 'status-200':
        throw new HttpException('fine?', 200);
      case 'status-700':
        throw new HttpException('odd', 700);
      case 'status-float':
        throw new HttpException('odd', 404.5);
      case 'teapot':
        throw new TeapotException();
      case 'bad-request':
        throw new BadRequestException('Stock message kept');
      case 'custom-code':
        throw new ApiException('booking_locked');
      case 'unregistered':
        throw new ApiException('not_a_code' as 'booking_locked');
      case 'extensions':
        throw new ApiException('forbidden', 'Store paused', {
          extensions: { storeId: 'store_9' },
          headers: { 'Retry-After': '2.2', 'X-Bad': 'a\r\nInjected: 1' },
        });
      case 'bigint':
        throw new ApiException('conflict', 'Cannot serialise', { extensions: { n: 10n } });
      case 'http-502':
        throw new HttpException('upstream secret', 502);
    }
    throw new Error('unknown kind');
  }

  @Get('after-send')
  afterSend(@Res() response: ServerResponse | { raw: ServerResponse }): void {
    const raw = 'raw' in response ? response.raw : response;
    raw.writeHead(200, { 'content-type': 'text/plain' });
    raw.end('done');
    throw new Error('too late');
  }

  @Get('started')
  started(@Res() response: ServerResponse | { raw: ServerResponse }): void {
    const raw = 'raw' in response ? response.raw : response;
    raw.writeHead(200, { 'content-type': 'text/plain' });
    raw.write('partial');
    throw new Error('failed half way');
  }

  @Get('whoami')
  whoami(@Principal() principal: ApiPrincipal): ApiPrincipal {
    return principal;
  }

  @Get('tenant-header')
  @Tenant({ header: 'x-organization-id' })
  tenantHeader(): { ok: true } {
    return { ok: true };
  }

  @Get('scoped')
  @RequireScopes('admin', 'bookings:read')
  scoped(): { ok: true } {
    return { ok: true };
  }

  @Post('stock-list')
  @UsePipes(new ValidationPipe())
  stockList(@Body() body: StockDto): StockDto {
    return body;
  }

  @Post('stock-grouped')
  @UsePipes(new ValidationPipe({ errorFormat: 'grouped' }))
  stockGrouped(@Body() body: StockDto): StockDto {
    return body;
  }

  @Get('limited')
  @RateLimit({ minute: { limit: 2 } })
  limited(): { ok: true } {
    return { ok: true };
  }

  @Get('unlimited')
  @SkipRateLimit()
  unlimited(): { ok: true } {
    return { ok: true };
  }

  @Get('context')
  context(@RequestId() fromDecorator: string): { fromDecorator: string; fromService?: string } {
    return { fromDecorator, fromService: this.audit.whoAmI() };
  }
}

@Module({})
export class OriginsModule implements NestModule {
  static register(options: ApiErrorsModuleOptions, useAsync = false): DynamicModule {
    return {
      module: OriginsModule,
      imports: [
        useAsync
          ? ApiErrorsModule.forRootAsync({ useFactory: async () => options })
          : ApiErrorsModule.forRoot(options),
      ],
      controllers: [OriginsController],
      providers: [AuditService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ThrowingMiddleware).forRoutes('o/middleware');
    consumer.apply(AsyncThrowingMiddleware).forRoutes('o/async-middleware');
  }
}

/** Boots the origins app on `platform` with the given library options. */
export function startOriginsApp(
  platform: HttpPlatform,
  options: ApiErrorsModuleOptions,
  useAsync = false,
  fastifyOptions: ConstructorParameters<typeof FastifyAdapter>[0] = {},
): Promise<RunningApp> {
  return startTestApp(platform, OriginsModule.register(options, useAsync), fastifyOptions);
}
