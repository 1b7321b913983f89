// Loaded with `node --import` into a sample app run as a process of its own (processes.ts):
// appends every answer's method, target and status to the file STATUS_LOG names, one JSON line
// each, for the e2e suites' check that every status a route answers is documented.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

const log = process.env.STATUS_LOG;
if (log) {
  subscribe('http.server.response.finish', ({ request, response }) => {
    const line = { method: request.method, url: request.url, status: response.statusCode };
    appendFileSync(log, JSON.stringify(line) + '\n');
  });
}
