import { randomUUID } from 'node:crypto';

/** An incoming request id is kept only when it is 1–128 characters of `[A-Za-z0-9._-]`. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A fresh id: `req_` and 122 random bits (a v4 UUID without its dashes). */
export function generateRequestId(): string {
  return 'req_' + randomUUID().replace(/-/g, '');
}

/** Keeps a valid incoming id, replaces anything else (absent, repeated, too long, odd chars). */
export function acceptRequestId(incoming: unknown): string {
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming)
    ? incoming
    : generateRequestId();
}
