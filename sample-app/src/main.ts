import { Logger } from '@nestjs/common';
import { createSampleApp } from './bootstrap.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const app = await createSampleApp(config);
await app.listen(config.port, '0.0.0.0');
new Logger('BookingsApi').log(
  `listening on http://localhost:${config.port} (${config.platform}, ${config.format} errors)`,
);
