// The physical limit: node:http answering the same JSON, nothing else.
import { createServer } from 'node:http';

const body = JSON.stringify({
  keyId: 'key_1',
  organizationId: 'org_a',
  tier: 'authority',
  scopes: ['bookings:read', 'bookings:write'],
});
createServer((req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
