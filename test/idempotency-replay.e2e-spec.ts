import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Catch,
  Controller,
  Module,
  Post,
  UseFilters,
  type ArgumentsHost,
  type DynamicModule,
  type ExceptionFilter,
} from '@nestjs/common';
import { IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ApiErrorsModule, ApiException, Idempotent, type ErrorFormatName } from 'nest-api-errors';
import { MATRIX, expectedBody, request, type RunningApp } from './support/harness.js';
import { startTestApp } from './support/test-app.js';

/** What the app's own filter caught, by name. */
const caught: string[] = [];

/** An app's own catch-all filter on a controller: it answers everything its own way. */
@Catch()
class CatchAllFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    caught.push(exception instanceof Error ? exception.name : typeof exception);
    const response = host.switchToHttp().getResponse<ServerResponse | { raw: ServerResponse }>();
    const raw = 'raw' in response ? response.raw : response;
    // Our own exceptions as 418, anything else as 500: neither is a status that releases a key
    // by itself unless it is a 5xx.
    raw.statusCode = exception instanceof ApiException ? 418 : 500;
    raw.setHeader('content-type', 'application/json');
    raw.end(JSON.stringify({ caughtBy: 'app' }));
  }
}

class NoteDto {
  @IsString()
  text!: string;
}

let executions = 0;
let failures = 0;

@Controller('filtered')
@UseFilters(CatchAllFilter)
class FilteredController {
  @Post('notes')
  @Idempotent()
  create(@Body() note: NoteDto): { execution: number; text: string } {
    return { execution: ++executions, text: note.text };
  }

  @Post('flaky')
  @Idempotent()
  flaky(): { attempt: number } {
    failures++;
    if (failures === 1) throw new Error('database went away');
    return { attempt: failures };
  }
}

/** A handler held until the test lets it go, so that a duplicate provably arrives in flight. */
class Latch {
  private open!: () => void;
  readonly entered: Promise<void>;
  private enter!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  constructor() {
    this.entered = new Promise((resolve) => (this.enter = resolve));
  }
  async pass(): Promise<void> {
    this.enter();
    await this.gate;
  }
  release(): void {
    this.open();
  }
}

let latch = new Latch();

@Controller('held')
class HeldController {
  @Post()
  @Idempotent()
  async held(): Promise<{ done: true }> {
    await latch.pass();
    return { done: true };
  }
}

@Module({})
class ReplayModule {
  static register(format: ErrorFormatName): DynamicModule {
    return {
      module: ReplayModule,
      imports: [ApiErrorsModule.forRoot({ format })],
      controllers: [FilteredController, HeldController],
    };
  }
}

describe.each(MATRIX)(
  'Idempotency-Key beside the app’s own filters on %s, %s format',
  (platform, format) => {
    let running: RunningApp;
    const post = (path: string, key: string, json: unknown = {}) =>
      request(`${running.url}${path}`, {
        method: 'POST',
        headers: { 'idempotency-key': key },
        json,
      });

    beforeAll(async () => {
      running = await startTestApp(platform, ReplayModule.register(format));
    });
    afterAll(() => running.close());

    it('replays without passing through a catch-all controller filter', async () => {
      caught.length = 0;
      const key = randomUUID();
      const first = await post('/filtered/notes', key, { text: 'hello' });
      expect(first.status).toBe(201);
      const again = await post('/filtered/notes', key, { text: 'hello' });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.text).toBe(first.text);
      expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(caught).toEqual([]);
    });

    it("releases the key after a validation failure that the app's filter answered", async () => {
      caught.length = 0;
      const key = randomUUID();
      const invalid = await post('/filtered/notes', key, { text: 5 });
      expect(invalid.status).toBe(418);
      expect(caught).toEqual(['ApiException']);
      const corrected = await post('/filtered/notes', key, { text: 'fixed' });
      expect(corrected.status).toBe(201);
      expect(corrected.headers.get('idempotent-replayed')).toBeNull();
      expect((corrected.json as { text: string }).text).toBe('fixed');
    });

    it("releases the key after a 5xx that the app's filter answered", async () => {
      failures = 0;
      const key = randomUUID();
      expect((await post('/filtered/flaky', key)).status).toBe(500);
      const retry = await post('/filtered/flaky', key);
      expect(retry.status).toBe(201);
      expect(retry.json).toEqual({ attempt: 2 });
    });

    it('answers a duplicate that arrives while the first is in flight with 409', async () => {
      latch = new Latch();
      const key = randomUUID();
      const first = post('/held', key);
      await latch.entered;
      const duplicate = await post('/held', key);
      expect(duplicate.status).toBe(409);
      expect(duplicate.headers.get('retry-after')).toBe('1');
      expect(duplicate.json).toEqual(
        expectedBody(
          format,
          {
            code: 'idempotency_key_in_use',
            status: 409,
            title: 'Idempotency Key In Use',
            nestedCode: 'IDEMPOTENCY_KEY_IN_USE',
            problemType: 'idempotency_key_in_use',
            message: 'A request with this Idempotency-Key is still being processed',
          },
          duplicate.headers.get('x-request-id') as string,
        ),
      );
      latch.release();
      expect((await first).status).toBe(201);
      const replay = await post('/held', key);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });
  },
);
