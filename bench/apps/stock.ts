// "Stock" Nest, built the way teams do it today: a hand-written API-key guard over a Map,
// @nestjs/throttler with its default in-memory storage (per-key minute and hour throttlers),
// and the stock ValidationPipe.
import 'reflect-metadata';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Module,
  Post,
  Req,
  UnauthorizedException,
  ValidationPipe,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { CreateBookingDto } from '../../sample-app/src/bookings/create-booking.dto.js';
import { listenBenchApp } from './listen.js';

interface Principal {
  keyId: string;
  organizationId: string;
  tier: string;
  scopes: string[];
}

const KEYS = new Map<string, Principal>([
  [
    'demo_authority_org_a_4f9c2e7b1d',
    {
      keyId: 'key_1',
      organizationId: 'org_a',
      tier: 'authority',
      scopes: ['bookings:read', 'bookings:write'],
    },
  ],
  [
    'demo_local_org_a_8b3d1f6a2c',
    { keyId: 'key_local', organizationId: 'org_a', tier: 'local', scopes: ['bookings:read'] },
  ],
]);

type WithPrincipal = { headers: Record<string, string | undefined>; principal?: Principal };

@Injectable()
class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WithPrincipal>();
    const principal = KEYS.get(request.headers['x-api-key'] ?? '');
    if (!principal) throw new UnauthorizedException('Invalid or missing API key');
    request.principal = principal;
    return true;
  }
}

@Injectable()
class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return String((request.headers as Record<string, string>)['x-api-key'] ?? request.ip);
  }
}

@Controller('v1')
class StockController {
  @Get('me')
  me(@Req() request: WithPrincipal) {
    const { keyId, organizationId, tier, scopes } = request.principal as Principal;
    return { keyId, organizationId, tier, scopes };
  }

  @Get('reports')
  reports(@Req() request: WithPrincipal) {
    if (request.principal?.tier !== 'authority') throw new ForbiddenException('Upgrade required');
    return { feature: 'api_access', ok: true };
  }

  @Post('bookings')
  create(@Req() request: WithPrincipal, @Body() body: CreateBookingDto) {
    return {
      booking: {
        id: `book_${Date.now()}`,
        organizationId: request.principal?.organizationId,
        ...body,
      },
    };
  }
}

const perMinute = Number(process.env.RATE_LIMIT_PER_MINUTE ?? 100);
const perHour = Number(process.env.RATE_LIMIT_PER_HOUR ?? 1000);

@Module({
  imports: [
    ThrottlerModule.forRoot([
      { name: 'minute', ttl: 60_000, limit: perMinute },
      { name: 'hour', ttl: 3_600_000, limit: perHour },
    ]),
  ],
  controllers: [StockController],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
})
class StockModule {}

await listenBenchApp(StockModule, (app) =>
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  ),
);
