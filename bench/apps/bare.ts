// Bare Nest: the benchmark's routes with no error layer, no auth, no limits, no validation.
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { listenBenchApp } from './listen.js';

@Controller('v1')
class BareController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me() {
    return {
      keyId: 'key_1',
      organizationId: 'org_a',
      tier: 'authority',
      scopes: ['bookings:read', 'bookings:write'],
    };
  }

  @Post('bookings')
  create(@Body() body: Record<string, unknown>) {
    return { booking: { id: `book_${Date.now()}`, organizationId: 'org_a', ...body } };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

await listenBenchApp(BareModule);
