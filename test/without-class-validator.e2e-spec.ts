import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PLATFORMS, request } from './support/harness.js';
import { startIsolatedApp, type IsolatedApp } from './support/isolated-package.js';

describe.each(PLATFORMS)('an app without class-validator on %s', (platform) => {
  let app: IsolatedApp;
  let url: string;

  beforeAll(async () => {
    app = await startIsolatedApp(
      ['class-validator', 'class-transformer'],
      'schema-only-app.mjs',
      { HTTP_PLATFORM: platform, ERROR_FORMAT: 'problem' },
      /listening \d+/,
    );
    url = `http://127.0.0.1:${/listening (\d+)/.exec(app.output())?.[1]}`;
  });
  afterAll(() => app.stop());

  it('really has no class-validator to resolve', () => {
    const probe = app.resolves('class-validator');
    expect(probe.resolved).toBe(false);
    expect(probe.stderr).toContain("Cannot find package 'class-validator'");
  });

  it('says at start which class-typed parameters go unvalidated, and what to install', () => {
    expect(app.output()).toContain(
      'class-validator and class-transformer are not installed, so these parameters typed with ' +
        'a class are not validated: LegacyDto (BookingsController.legacy, argument 0)',
    );
    expect(app.output()).toContain('npm install class-validator class-transformer');
  });

  it('still answers a schema route with the whole validation contract', async () => {
    const reply = await request(`${url}/v1/bookings`, {
      method: 'POST',
      json: { customer: { phone: '123', vip: true }, items: [] },
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    const body = reply.json as { detail: string; code: string; errors: unknown };
    expect(body.code).toBe('validation_error');
    expect(body.errors).toEqual([
      { pointer: '#/customer/vip', detail: 'property customer.vip should not exist' },
      { pointer: '#/customer/phone', detail: expect.stringMatching(/^customer\.phone: /) },
      { pointer: '#/items', detail: expect.stringMatching(/^items: /) },
    ]);
    expect(body.detail).toMatch(/ \(and 2 more errors\)$/);
    const created = await request(`${url}/v1/bookings`, {
      method: 'POST',
      json: { customer: { phone: '+31612345678' }, items: [{ sku: 'A' }] },
    });
    expect(created.status).toBe(201);
  });
});
