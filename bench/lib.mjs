// Shared helpers of the benchmarks: start the built sample app in its own process, wait for it,
// stop it, and small statistics.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `node [nodeArgs] <entry>` with `env` and resolves once GET /v1/health answers. */
export async function startServer(entry, env, port, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited: ${stderr}`);
    try {
      // Any answer means it listens (some apps guard /v1/health).
      await fetch(`http://127.0.0.1:${port}/v1/health`);
      return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not start: ${stderr}`);
}

export async function stopServer(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Server CPU time (user + system) of a process so far, in µs (Linux /proc). */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** RSS in MB right after a full collection (the server must preload bench/gc-on-signal.mjs). */
export async function collectedRssMegabytes(child) {
  child.kill('SIGUSR2');
  // A full collection of a few hundred MB takes well under a second here.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return rssMegabytes(child.pid);
}

/** The sample app's booking body the benchmarks send (a fresh `serviceId` makes it unique). */
export const BOOKING = Object.freeze({
  serviceId: 'svc_1',
  startsAt: '2027-05-01T09:00:00Z',
  endsAt: '2027-05-01T10:00:00Z',
  customer: { name: 'Ada Lovelace', phone: '+31612345678', email: 'ada@example.com' },
  items: [
    { sku: 'CUT-1', qty: 1 },
    { sku: 'WASH-2', qty: 2 },
  ],
});

/** A booking failing in nested objects and array items (422). */
export const INVALID_BOOKING = Object.freeze({
  ...BOOKING,
  serviceId: 'svc_x',
  customer: { name: 'Ada', phone: '12345', address: { city: 'Amsterdam' } },
  items: [
    { sku: '', qty: 1 },
    { sku: 'B-2', qty: 0 },
  ],
});
