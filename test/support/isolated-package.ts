import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
