import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Module,
  Post,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import { IsString } from 'class-validator';
import { ApiErrorsModule } from '../api-errors.module.js';
import type { ApiErrorsForRootOptions } from '../api-errors.module-definition.js';
import { InMemoryApiKeyStore } from '../auth/api-key.store.js';
import { Public } from '../auth/auth.decorators.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrorResponse } from './api-error-response.decorator.js';
import { addErrorResponses } from './error-responses.openapi.js';

class NoteDto {
  @IsString()
  text!: string;
}

@Controller('v1/notes')
class NotesController {
  @Public()
  @Get('count')
  count(): number {
    return 0;
  }

  @Get(':id')
  @ApiResponse({
    status: 404,
    description: 'No such note.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrorResponse('not_found', 'Note not found')
  @ApiErrorResponse('forbidden', 'Note is locked', { extensions: { noteId: 'n_1', until: null } })
  find(): void {}

  @Post()
  @Idempotent({ required: true })
  create(@Body() _note: NoteDto): void {}

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({
    status: 204,
    description: 'Deleted.',
    headers: {
      Location: {
        description: 'Where the next note is.',
        required: false,
        schema: { type: 'string' },
      },
    },
  })
  remove(): void {}
}

const store = new InMemoryApiKeyStore([]);

/** A logger that keeps its warnings. */
class Warnings implements LoggerService {
  readonly lines: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.lines.push(String(message));
  }
}

let app: INestApplication | undefined;
afterEach(() => app?.close());

async function documentFor(
  options: ApiErrorsForRootOptions,
  openapi = '3.0.0',
  logger = new Warnings(),
) {
  @Module({ imports: [ApiErrorsModule.forRoot(options)], controllers: [NotesController] })
  class AppModule {}
  app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger });
  const base = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Notes').setOpenAPIVersion(openapi).build(),
  );
  const before = JSON.stringify(base);
  const document = await addErrorResponses(app, base);
  expect(JSON.stringify(base)).toBe(before);
  return document as unknown as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        Record<string, unknown> & { responses: Record<string, Record<string, unknown>> }
      >
    >;
    components: Record<string, Record<string, unknown>>;
  };
}

const FULL: ApiErrorsForRootOptions = {
  apiKeys: { store, header: 'X-Notes-Key', bearer: true },
  rateLimit: { ietfHeaders: true },
};

describe('addErrorResponses', () => {
  it.each(['3.0.0', '3.1.0'])('gives valid OpenAPI %s', async (openapi) => {
    for (const format of ['flat', 'problem', 'nested', 'laravel'] as const) {
      const document = await documentFor({ ...FULL, format }, openapi);
      const result = await new Validator().validate(document as unknown as Record<string, unknown>);
      expect([format, result.errors]).toEqual([format, undefined]);
      await app?.close();
      app = undefined;
    }
  });

  it('adds the security schemes, asks for them on guarded routes and none on public ones', async () => {
    const document = await documentFor(FULL);
    expect(document.components.securitySchemes).toEqual({
      ApiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Notes-Key' }),
      Bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(document.paths['/v1/notes/{id}'].get.security).toEqual([{ ApiKey: [] }, { Bearer: [] }]);
    expect(document.paths['/v1/notes/count'].get.security).toEqual([]);
  });

  it('leaves security alone without apiKeys', async () => {
    const document = await documentFor({});
    expect(document.components.securitySchemes).toBeUndefined();
    expect(document.paths['/v1/notes/{id}'].get.security).toBeUndefined();
  });

  it("keeps the app's own response of a status, adding the library's", async () => {
    const notFound = (await documentFor(FULL)).paths['/v1/notes/{id}'].get.responses['404'];
    expect(notFound.description).toBe('No such note.\n\n- `not_found`: Note not found');
    expect(Object.keys(notFound.content as object)).toEqual(['text/plain', 'application/json']);
  });

  it('gives an error with members of its own a component of its own', async () => {
    const document = await documentFor({ ...FULL, format: 'problem' });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['ApiError', 'ApiValidationError', 'ApiForbiddenError']),
    );
    const forbidden = document.components.schemas.ApiForbiddenError as Record<string, unknown>;
    expect(forbidden.required).toEqual(
      expect.arrayContaining([
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'code',
        'noteId',
        'until',
      ]),
    );
  });

  it('describes the headers of successes: request id, limits, replays', async () => {
    const document = await documentFor(FULL);
    const created = document.paths['/v1/notes'].post.responses['201'].headers as Record<
      string,
      { required: boolean }
    >;
    expect(Object.fromEntries(Object.entries(created).map(([k, v]) => [k, v.required]))).toEqual({
      'X-Request-Id': true,
      'X-RateLimit-Limit': true,
      'X-RateLimit-Remaining': true,
      'X-RateLimit-Reset': true,
      'RateLimit-Policy': true,
      RateLimit: true,
      'Idempotent-Replayed': false,
    });
    expect(document.paths['/v1/notes'].post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
  });

  it("keeps the headers of a route's own 204 beside Precognition's", async () => {
    const document = await documentFor({ ...FULL, format: 'laravel' });
    const own = document.paths['/v1/notes/{id}'].delete.responses['204'].headers as Record<
      string,
      { required: boolean }
    >;
    expect(own['X-Request-Id'].required).toBe(true);
    expect(own.Location.required).toBe(false);
    expect(own['Precognition-Success'].required).toBe(false);
  });

  it('documents Precognition with the laravel format', async () => {
    const document = await documentFor({ ...FULL, format: 'laravel' });
    const post = document.paths['/v1/notes'].post;
    expect((post.parameters as { name: string }[]).map((p) => p.name)).toEqual(
      expect.arrayContaining(['Precognition', 'Precognition-Validate-Only']),
    );
    const headers = post.responses['204'].headers as Record<string, { required: boolean }>;
    expect(headers['Precognition-Success'].required).toBe(true);
    expect(headers.Precognition.required).toBe(true);
  });

  it("describes a custom format's bodies with the schema given for it", async () => {
    @Module({
      imports: [
        ApiErrorsModule.forRoot({ format: (error) => ({ body: { ok: false, code: error.code } }) }),
      ],
      controllers: [NotesController],
    })
    class CustomModule {}
    app = await NestFactory.create(CustomModule, new ExpressAdapter(), { logger: false });
    const schema = { type: 'object', required: ['ok', 'code'] };
    const document = (await addErrorResponses(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { customFormatSchema: schema },
    )) as unknown as { components: { schemas: Record<string, unknown> } };
    expect(document.components.schemas.ApiError).toEqual(schema);
  });

  it('leaves an operation no handler answers as it is, and says so', async () => {
    const warnings = new Warnings();
    @Module({ imports: [ApiErrorsModule.forRoot({})], controllers: [NotesController] })
    class AppModule {}
    app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: warnings });
    const foreign = { responses: { 200: { description: 'elsewhere' } } };
    const document = await addErrorResponses(app, {
      openapi: '3.0.0',
      paths: { '/webhooks/in': { post: foreign } },
    });
    expect(document.paths).toEqual({ '/webhooks/in': { post: foreign } });
    expect(warnings.lines).toEqual([
      'No handler of this app answers POST /webhooks/in: its errors are not documented',
    ]);
  });

  it('names the fix when the app has no ApiErrorsModule', async () => {
    @Module({ controllers: [NotesController] })
    class Bare {}
    app = await NestFactory.create(Bare, new ExpressAdapter(), { logger: false });
    await expect(addErrorResponses(app, { openapi: '3.0.0', paths: {} })).rejects.toThrow(
      'Import ApiErrorsModule.forRoot() in the app module.',
    );
  });
});
