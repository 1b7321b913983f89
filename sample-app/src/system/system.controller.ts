import { Body, Controller, Get, HttpCode, HttpException, Post } from '@nestjs/common';
import {
  ApiErrorResponse,
  Public,
  ServiceUnavailableApiException,
  SkipRateLimit,
} from 'nest-api-errors';

/** Health, and the routes that show how failures are answered. */
@Controller('v1')
export class SystemController {
  @Public()
  @SkipRateLimit()
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** An unexpected error: the client sees a generic 500, the log sees everything. */
  @Get('boom')
  boom(): never {
    throw new Error('secret: db password hunter2');
  }

  /** A legacy HttpException with a 5xx status: masked the same way. */
  @Get('legacy-error')
  legacyError(): never {
    throw new HttpException('secret: stack at /srv/app.js', 500);
  }

  @Get('maintenance')
  @ApiErrorResponse('service_unavailable', undefined, { headers: { 'Retry-After': '30' } })
  maintenance(): never {
    throw new ServiceUnavailableApiException(30);
  }

  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}
