import { Logger } from '@nestjs/common';
import { createSampleApp } from './bootstrap.js';
import { loadConfig } from './config.js';

const logger = new Logger('BookingsApi');
try {
  const config = loadConfig();
  const app = await createSampleApp(config);
  await app.listen(config.port, '0.0.0.0');
  logger.log(
    `listening on http://localhost:${config.port} (${config.platform}, ${config.format} errors)`,
  );
} catch (error) {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
