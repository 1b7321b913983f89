import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { addErrorResponses } from 'nest-api-errors';

/**
 * The Bookings API's OpenAPI document: its routes as `@nestjs/swagger` finds them, and every
 * error each can answer, in the configured format, as the library finds them.
 */
export async function bookingsApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bookings API')
      .setDescription('A small Bookings API. Every error it answers is documented on its route.')
      .setVersion('1.0')
      .build(),
  );
  return addErrorResponses(app, document);
}

/**
 * Swagger UI at `/docs` and the document at `/docs-json`. Neither is a route of the app's
 * controllers, so no guard runs on them: they are public and not rate-limited.
 */
export async function serveDocs(app: INestApplication): Promise<void> {
  SwaggerModule.setup('docs', app, await bookingsApiDocument(app));
}
