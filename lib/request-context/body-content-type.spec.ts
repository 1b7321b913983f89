import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { isAcceptedBodyContentType } from './body-content-type.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const JSON_ONLY = ['application/json'];

describe('isAcceptedBodyContentType', () => {
  it('accepts any request without a body', () => {
    expect(isAcceptedBodyContentType(req({}), JSON_ONLY)).toBe(true);
    expect(
      isAcceptedBodyContentType(
        req({ 'content-length': '0', 'content-type': 'text/plain' }),
        JSON_ONLY,
      ),
    ).toBe(true);
  });
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset="UTF8"',
    'application/json; foo=bar',
  ])('accepts %s', (type) => {
    expect(
      isAcceptedBodyContentType(req({ 'content-length': '2', 'content-type': type }), JSON_ONLY),
    ).toBe(true);
  });
  it.each([
    'text/plain',
    'application/xml',
    'application/json; charset=latin1',
    'application/jsonp',
    'multipart/form-data; boundary=x',
  ])('rejects %s', (type) => {
    expect(
      isAcceptedBodyContentType(req({ 'content-length': '2', 'content-type': type }), JSON_ONLY),
    ).toBe(false);
  });
  it('rejects a chunked body without a content type', () => {
    expect(isAcceptedBodyContentType(req({ 'transfer-encoding': 'chunked' }), JSON_ONLY)).toBe(
      false,
    );
  });
});
