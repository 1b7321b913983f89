import { describe, expect, it } from '@jest/globals';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { allowedMethods } from './allowed-methods.js';

const at = (url: string) => ({ url, method: 'PUT' }) as IncomingMessage;

describe('allowedMethods', () => {
  it("reads Express' routes: every method of every route matching the path", () => {
    const adapter = new ExpressAdapter();
    const noop = () => undefined;
    adapter.get('/v1/health', noop);
    adapter.post('/v1/bookings', noop);
    adapter.get('/v1/bookings', noop);
    adapter.delete('/v1/keys/:keyId', noop);
    adapter.use(noop);
    const app: unknown = adapter.getInstance();
    expect(allowedMethods(app, at('/v1/health'))).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(app, at('/v1/bookings?limit=2'))).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(app, at('/v1/keys/key_1'))).toEqual(['DELETE']);
    expect(allowedMethods(app, at('/v1/keys'))).toEqual([]);
    expect(allowedMethods(app, at('/nowhere'))).toEqual([]);
  });

  it("asks Fastify's router about each method", async () => {
    const adapter = new FastifyAdapter();
    const app = adapter.getInstance();
    app.get('/v1/health', async () => 'ok');
    app.post('/v1/bookings', async () => 'ok');
    app.get('/v1/bookings', async () => 'ok');
    app.delete('/v1/keys/:keyId', async () => 'ok');
    await app.ready();
    try {
      expect(allowedMethods(app, at('/v1/health'))).toEqual(['GET', 'HEAD']);
      expect(allowedMethods(app, at('/v1/bookings?limit=2'))).toEqual(['GET', 'HEAD', 'POST']);
      expect(allowedMethods(app, at('/v1/keys/key_1'))).toEqual(['DELETE']);
      expect(allowedMethods(app, at('/v1/keys'))).toEqual([]);
      expect(allowedMethods(app, at('/nowhere'))).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('knows no routes without a platform instance', () => {
    expect(allowedMethods(undefined, at('/v1/health'))).toEqual([]);
  });
});
