// After the unit or e2e tests: stops the redis-server the global setup started, if it started one.
export { stopRedis as default } from './redis-server.js';
