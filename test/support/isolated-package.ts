import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitForLine } from './processes.js';

const ROOT = resolve('.');

/**
 * A package of its own in a temporary directory: the built library (dist/, built by the e2e
 * global setup) installed in its node_modules beside every dependency of this repository but
 * those `hidden` (`class-validator`, or scoped: `@nestjs/swagger`), so that nothing in it can
 * resolve them, as in an app that never installed them; `fixture` (under test/fixtures) is its
 * `app.mjs`. Returns the directory.
 */
export function isolatedPackage(hidden: readonly string[], fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isolated-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const skip = new Set([...hidden, '.bin', '.package-lock.json']);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (skip.has(name)) continue;
    const source = join(ROOT, 'node_modules', name);
    if (name.startsWith('@') && hidden.some((h) => h.startsWith(`${name}/`))) {
      // A scope with a hidden member: its other members one by one.
      mkdirSync(join(modules, name));
      for (const member of readdirSync(source)) {
        if (!skip.has(`${name}/${member}`)) {
          symlinkSync(join(source, member), join(modules, name, member));
        }
      }
    } else {
      symlinkSync(source, join(modules, name));
    }
  }
  const library = join(modules, 'nest-api-errors');
  cpSync(join(ROOT, 'dist', 'lib'), join(library, 'lib'), { recursive: true });
  writeFileSync(
    join(library, 'package.json'),
    JSON.stringify({ name: 'nest-api-errors', type: 'module', exports: './lib/index.js' }),
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  copyFileSync(join(ROOT, 'test', 'fixtures', fixture), join(dir, 'app.mjs'));
  return dir;
}

/** The app of an isolated package, running. */
export interface IsolatedApp {
  readonly dir: string;
  /** Everything it printed so far. */
  output(): string;
  /** Whether `name` resolves in the package, as its app would import it. */
  resolves(name: string): { resolved: boolean; stderr: string };
  /** Stops the app and removes the package. */
  stop(): Promise<void>;
}

/**
 * Runs `app.mjs` of an {@link isolatedPackage} with `env` and resolves once it prints a line
 * matching `ready`.
 */
export async function startIsolatedApp(
  hidden: readonly string[],
  fixture: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<IsolatedApp> {
  const dir = isolatedPackage(hidden, fixture);
  const child = spawn(process.execPath, ['app.mjs'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForLine(child, ready, 20_000, fixture);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    output: () => output,
    resolves(name) {
      const probe = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(name)})`], {
        cwd: dir,
      });
      return { resolved: probe.status === 0, stderr: String(probe.stderr) };
    },
    stop,
  };
}
