import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { bookingsErrorsPage, ERRORS_PAGE_PATH } from './errors-page.js';

// `npm run docs:errors`: writes the sample app's Errors page, which is checked in.
await writeFile(ERRORS_PAGE_PATH, await bookingsErrorsPage());
process.stdout.write(`wrote ${ERRORS_PAGE_PATH}\n`);
