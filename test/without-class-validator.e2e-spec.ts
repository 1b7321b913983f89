import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { PLATFORMS, request } from './support/harness.js';
import { isolatedPackage } from './support/isolated-package.js';
import { waitForLine } from './support/processes.js';

describe.each(PLATFORMS)('an app without class-validator on %s', (platform) => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let url: string;

  beforeAll(async () => {
    dir = isolatedPackage(['class-validator', 'class-transformer'], 'schema-only-app.mjs');
    child = spawn(process.execPath, ['app.mjs'], {
      cwd: dir,
      env: { ...process.env, HTTP_PLATFORM: platform, ERROR_FORMAT: 'problem' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    await waitForLine(child, /listening \d+/, 20_000, 'the schema-only app');
    url = `http://127.0.0.1:${/listening (\d+)/.exec(output)?.[1]}`;
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill();
      await new Promise((done) => child.once('exit', done));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('really has no class-validator to resolve', () => {
    const probe = spawnSync(process.execPath, ['-e', "import('class-validator')"], { cwd: dir });
    expect(probe.status).not.toBe(0);
    expect(String(probe.stderr)).toContain("Cannot find package 'class-validator'");
  });

  it('says at start which class-typed parameters go unvalidated, and what to install', () => {
    expect(output).toContain(
      'class-validator and class-transformer are not installed, so these parameters typed with ' +
        'a class are not validated: LegacyDto (BookingsController.legacy, argument 0)',
    );
    expect(output).toContain('npm install class-validator class-transformer');
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
