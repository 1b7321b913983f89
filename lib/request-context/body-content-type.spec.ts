import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import {
  bodyRejection,
  hasNoContentCoding,
  isAcceptedBodyContentType,
} from './body-content-type.js';

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

describe('hasNoContentCoding', () => {
  it.each([undefined, 'identity', 'Identity', 'identity, identity'])('accepts %s', (coding) => {
    const headers: Record<string, string> = { 'content-length': '2' };
    if (coding !== undefined) headers['content-encoding'] = coding;
    expect(hasNoContentCoding(req(headers))).toBe(true);
  });
  it.each(['gzip', 'br', 'deflate', 'x-gzip', 'identity, gzip', 'zstd'])('rejects %s', (coding) => {
    expect(hasNoContentCoding(req({ 'content-length': '2', 'content-encoding': coding }))).toBe(
      false,
    );
  });
  it('ignores the header on a request without a body', () => {
    expect(hasNoContentCoding(req({ 'content-length': '0', 'content-encoding': 'gzip' }))).toBe(
      true,
    );
  });
});

describe('bodyRejection', () => {
  it('names the accepted coding in Accept-Encoding when a coding is the problem', () => {
    const rejection = bodyRejection(
      req({ 'content-length': '2', 'content-type': 'text/plain', 'content-encoding': 'gzip' }),
      JSON_ONLY,
    );
    expect(rejection?.code).toBe('unsupported_media_type');
    expect(rejection?.extras.headers).toEqual({ 'Accept-Encoding': 'identity' });
  });
  it('rejects a media type, and accepts JSON', () => {
    const headers = { 'content-length': '2', 'content-type': 'text/plain' };
    expect(bodyRejection(req(headers), JSON_ONLY)?.code).toBe('unsupported_media_type');
    expect(bodyRejection(req({ ...headers, 'content-type': 'application/json' }), JSON_ONLY)).toBe(
      undefined,
    );
  });
});
