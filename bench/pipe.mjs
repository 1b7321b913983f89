// The validation pipe alone, in this process: the time ApiValidationPipe.transform takes for the
// sample app's booking body (valid and invalid) and locations query, with DTOs compiled (the
// default) and with class-validator and class-transformer walking them (`compile: false`).
// Without HTTP, autocannon or a second process on the same cores, the figures are steady enough
// to compare small differences that the end-to-end runs drown. Interleaved rounds, medians.
//
// Usage: node bench/pipe.mjs [--rounds 5] [--iterations 20000]   (after a build)
import 'reflect-metadata';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BOOKING, INVALID_BOOKING as INVALID, ROOT, median } from './lib.mjs';

const load = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

/** Microseconds per `pipe.transform` for each case, compiled and not; medians over rounds. */
export async function measurePipe({ rounds = 5, iterations = 20_000 } = {}) {
  const { ApiValidationPipe } = await load('lib/validation/api-validation.pipe.js');
  const { resolveValidationOptions } = await load('lib/validation/validation.options.js');
  const { CreateBookingDto } = await load('sample-app/src/bookings/create-booking.dto.js');
  const { ListLocationsQuery } = await load('sample-app/src/locations/list-locations.query.js');
  // The sample app's options.
  const pipe = (compile) =>
    new ApiValidationPipe(
      resolveValidationOptions({
        validation: { whitelist: true, forbidNonWhitelisted: true, transform: true, compile },
      }),
    );
  const pipes = { compiled: pipe(true), 'class-validator': pipe(false) };
  const body = { type: 'body', metatype: CreateBookingDto };
  const query = { type: 'query', metatype: ListLocationsQuery };
  // Each call gets a fresh value, parsed as a request body would be.
  const parsed = (value) => {
    const text = JSON.stringify(value);
    return () => JSON.parse(text);
  };
  const cases = {
    'booking, valid': [parsed(BOOKING), body],
    'booking, invalid': [parsed(INVALID), body],
    'query ?limit=10': [parsed({ limit: '10' }), query],
  };
  const run = async (p, [make, metadata], n) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      try {
        await p.transform(make(), metadata);
      } catch {
        // the invalid booking: the exception is part of what is measured
      }
    }
    return Number(process.hrtime.bigint() - started) / n / 1000;
  };
  const samples = {};
  for (let round = 0; round <= rounds; round++) {
    for (const [name, c] of Object.entries(cases)) {
      for (const [label, p] of Object.entries(pipes)) {
        const micros = await run(p, c, round === 0 ? iterations / 4 : iterations);
        // Round 0 warms up.
        if (round > 0) ((samples[name] ??= {})[label] ??= []).push(micros);
      }
    }
  }
  // The cost of parsing the input, which every case pays and is not the pipe's.
  const copy = Object.fromEntries(
    Object.entries(cases).map(([name, [make]]) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) make();
      return [name, Number(process.hrtime.bigint() - started) / iterations / 1000];
    }),
  );
  return Object.entries(samples).map(([name, by]) => ({
    name,
    compiled: median(by.compiled) - copy[name],
    classValidator: median(by['class-validator']) - copy[name],
  }));
}

export function pipeTable(results) {
  const fmt = (n) => n.toFixed(1);
  return [
    '| case | compiled µs | class-validator µs | compiled ÷ class-validator (time) |',
    '| ---- | ----------: | -----------------: | --------------------------------: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${fmt(r.compiled)} | ${fmt(r.classValidator)} | ${(r.compiled / r.classValidator).toFixed(2)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? fallback : Number(argv[i + 1]);
  };
  const results = await measurePipe({
    rounds: arg('rounds', 5),
    iterations: arg('iterations', 20_000),
  });
  console.log(pipeTable(results));
}
