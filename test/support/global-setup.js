// Before the e2e suite: makes sure Redis answers (see redis-server.js), then builds dist/ once,
// since some tests run the sample app as separate processes, as `npm start` does.
import { execFileSync } from 'node:child_process';
import ensureRedis, { requireRedisServer } from './redis-server.js';

export default async function globalSetup() {
  requireRedisServer('Some e2e tests start and stop a redis-server of their own');
  await ensureRedis();
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
