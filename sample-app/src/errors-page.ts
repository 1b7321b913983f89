import { renderErrorsPage } from 'nest-api-errors';
import { format, resolveConfig } from 'prettier';
import { createSampleApp } from './bootstrap.js';
import { loadConfig, type HttpPlatform } from './config.js';

/** Where `npm run docs:errors` writes the page. */
export const ERRORS_PAGE_PATH = 'docs/errors.md';

/**
 * The Bookings API's Errors page, for its default configuration (no environment read) on
 * `platform`, formatted as the repository formats Markdown.
 */
export async function bookingsErrorsPage(platform: HttpPlatform = 'express'): Promise<string> {
  const app = await createSampleApp(loadConfig({ HTTP_PLATFORM: platform }), false);
  try {
    const page = await renderErrorsPage(app, {
      title: 'Bookings API errors',
      baseUrl: 'http://localhost:3000',
    });
    const notice =
      '<!-- Written by `npm run docs:errors` from the sample app; do not edit. -->\n\n';
    const options = (await resolveConfig(ERRORS_PAGE_PATH)) ?? {};
    return await format(notice + page, { ...options, parser: 'markdown' });
  } finally {
    await app.close();
  }
}
