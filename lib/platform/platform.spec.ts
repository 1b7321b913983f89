import { describe, expect, it } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { addVary, routeArgumentOf } from './platform.js';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));

describe('addVary', () => {
  it('sets Vary when there is none', () => {
    const res = response();
    addVary(res, 'Precognition');
    expect(res.getHeader('vary')).toBe('Precognition');
  });

  it('appends to what another part listed, once', () => {
    const res = response();
    res.setHeader('Vary', 'Origin');
    addVary(res, 'Precognition');
    addVary(res, 'precognition');
    expect(res.getHeader('vary')).toBe('Origin, Precognition');
  });

  it('leaves Vary: * alone', () => {
    const res = response();
    res.setHeader('Vary', '*');
    addVary(res, 'Precognition');
    expect(res.getHeader('vary')).toBe('*');
  });
});

describe('routeArgumentOf', () => {
  const request = {
    body: { code: 'ABC', items: [1] },
    query: { guests: '2' },
    params: { hotelId: 'h1' },
  };

  it('reads the whole source, or one property of it', () => {
    expect(routeArgumentOf(request, 'body', undefined)).toBe(request.body);
    expect(routeArgumentOf(request, 'body', 'code')).toBe('ABC');
    expect(routeArgumentOf(request, 'query', undefined)).toBe(request.query);
    expect(routeArgumentOf(request, 'query', 'guests')).toBe('2');
    expect(routeArgumentOf(request, 'param', 'hotelId')).toBe('h1');
    expect(routeArgumentOf({}, 'param', 'hotelId')).toBeUndefined();
  });

  it("reads an array body's own properties only, as Nest does", () => {
    expect(routeArgumentOf({ body: [7] }, 'body', '0')).toBe(7);
    expect(routeArgumentOf({ body: [7] }, 'body', 'map')).toBeUndefined();
    expect(routeArgumentOf({ body: undefined }, 'body', 'code')).toBeUndefined();
  });
});
