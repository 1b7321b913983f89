import type { Logger } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';

/** The 503s an outage log answered with: the exception filter does not log them again. */
const reported = new WeakSet<object>();

/** True for a 503 whose outage is logged by an {@link OutageLog}, not once per request. */
export function isReportedOutage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/**
 * Logs a store that does not answer (Redis down or frozen, a user's store failing) as warnings
 * with counts, not as an error per request: the first failure at once, then at most one line
 * per interval with the number of failures since the last one, and a line when the store
 * answers again. A 503 because a store is down is the library doing what it was configured to
 * do; one error with the client's stack per request buried everything else in the log (issue
 * #13, item 4).
 */
export class OutageLog {
  /** Failures since the outage began; 0 while the store answers. */
  private total = 0;
  /** Failures since the last line. */
  private sinceLine = 0;
  private lineAt = 0;

  /**
   * @param what the store, as the log names it (`idempotency store`)
   * @param consequence what requests get meanwhile (`answering 503 until it answers`)
   */
  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly consequence: string,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one failed call; logs the first, then at most one line per interval. */
  failed(error: unknown): void {
    const now = this.now();
    this.total++;
    this.sinceLine++;
    if (this.total === 1) {
      this.line(now, `${this.what} unavailable (${reason(error)}); ${this.consequence}`);
    } else if (now - this.lineAt >= this.intervalMs) {
      const seconds = Math.round((now - this.lineAt) / 1000);
      this.line(
        now,
        `${this.what} still unavailable (${reason(error)}): ${this.sinceLine} failed calls in the last ${seconds} s; ${this.consequence}`,
      );
    }
  }

  /** Notes a call that succeeded; logs the end of an outage, with its count. */
  recovered(): void {
    if (this.total === 0) return;
    this.logger.warn(`${this.what} answers again, after ${this.total} failed calls`);
    this.total = 0;
    this.sinceLine = 0;
  }

  /** The 503 a request gets meanwhile; the filter knows it is logged here. */
  unavailable(): ApiException {
    const exception = storeUnavailableError();
    reported.add(exception);
    return exception;
  }

  private line(now: number, text: string): void {
    this.logger.warn(text);
    this.lineAt = now;
    this.sinceLine = 0;
  }
}

/**
 * The 503 of a request a store could not serve (Redis down, with `failClosed`, or an
 * idempotency store that does not answer): retry after a second. Documented as such in the
 * OpenAPI document.
 */
export function storeUnavailableError(): ApiException {
  return new ApiException('service_unavailable', undefined, { headers: { 'Retry-After': '1' } });
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
