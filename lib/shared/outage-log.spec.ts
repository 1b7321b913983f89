import { describe, expect, it } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { isReportedOutage, OutageLog } from './outage-log.js';

function outageLog() {
  const lines: string[] = [];
  const logger = { warn: (text: string) => lines.push(text) } as unknown as Logger;
  let now = 0;
  const log = new OutageLog(logger, 'Redis', 'answering 503', 10_000, () => now);
  return { lines, log, advance: (ms: number) => (now += ms) };
}

describe('OutageLog', () => {
  it('logs the first failure, then one line per interval with the count since the last', () => {
    const { lines, log, advance } = outageLog();
    const error = new Error('Command timed out');
    for (let i = 0; i < 5000; i++) {
      log.failed(error);
      advance(4); // 5,000 failures over 20 s
    }
    expect(lines).toEqual([
      'Redis unavailable (Command timed out); answering 503',
      'Redis still unavailable (Command timed out): 2500 failed calls in the last 10 s; answering 503',
    ]);
    log.recovered();
    log.recovered();
    expect(lines[2]).toBe('Redis answers again, after 5000 failed calls');
    expect(lines).toHaveLength(3);
    // A later outage starts over with a first line of its own.
    log.failed('refused');
    expect(lines[3]).toBe('Redis unavailable (refused); answering 503');
  });

  it('answers with a 503 that the exception filter knows is logged', () => {
    const { log } = outageLog();
    const exception = log.unavailable();
    expect(exception.code).toBe('service_unavailable');
    expect(exception.extras.headers).toEqual({ 'Retry-After': '1' });
    expect(isReportedOutage(exception)).toBe(true);
    expect(isReportedOutage(new Error('other'))).toBe(false);
    expect(isReportedOutage(undefined)).toBe(false);
  });
});
