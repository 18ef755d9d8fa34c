import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'vitest';

/**
 * The twin is a pure emulator (issue 11): it serves the public AWS API and
 * computes behaviour from whatever lab was built on it. It knows nothing of
 * the suite (helpers/, suites/) nor of any lab or drift (lab/): those are
 * fixtures that speak the public API to it, and the CLI, not the twin, loads
 * the reference lab. A twin file that reached for them would make the twin
 * agree with the suite by construction instead of by emulating AWS.
 */
const root = join(import.meta.dirname, '../../..');
const FORBIDDEN = ['helpers', 'suites', 'lab'];

/** Every module a file names: static and type imports, re-exports, side-effect and dynamic imports, `new URL(…, import.meta.url)`. */
const SPECIFIERS =
  /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]|\bnew\s+URL\s*\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g;

function forbiddenImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIERS)) {
    const specifier = match.slice(1).find((s) => s !== undefined) ?? '';
    if (!specifier.startsWith('.')) continue;
    const target = relative(root, join(dirname(file), specifier));
    const top = target.split(/[\\/]/)[0] ?? '';
    if (FORBIDDEN.includes(top)) found.push(`${relative(root, file)} → ${target}`);
  }
  return found;
}

async function twinFiles(): Promise<string[]> {
  const entries = await readdir(join(root, 'twin'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('the twin is a pure emulator', () => {
  test('no file under twin/ imports helpers/, suites/ or lab/', async ({ expect }) => {
    const files = await twinFiles();
    const offences = (
      await Promise.all(files.map(async (f) => forbiddenImports(f, await readFile(f, 'utf8'))))
    ).flat();
    expect(files.length).toBeGreaterThan(50);
    expect(offences).toEqual([]);
  });

  test('the check sees every way a file can name a module', ({ expect }) => {
    const file = join(root, 'twin/services/ec2/api/vpcs.ts');
    const source = [
      "import type { ResolvedTargets } from '../../../../helpers/targets/index.ts';",
      "export { drifts } from '../../../../lab/drifts/index.ts';",
      "import '../../../../suites/setup/worker.ts';",
      "const lab = await import('../../../../lab/reference/index.ts');",
      "const policy = new URL('../../../../lab/reference/identity.ts', import.meta.url);",
      "import { Twin } from '../../../twin.ts';",
      "import { evaluate } from '../../../../policy/evaluate.ts';",
      "import { EC2Client } from '@aws-sdk/client-ec2';",
    ].join('\n');
    expect(forbiddenImports(file, source)).toEqual([
      'twin/services/ec2/api/vpcs.ts → helpers/targets/index.ts',
      'twin/services/ec2/api/vpcs.ts → lab/drifts/index.ts',
      'twin/services/ec2/api/vpcs.ts → suites/setup/worker.ts',
      'twin/services/ec2/api/vpcs.ts → lab/reference/index.ts',
      'twin/services/ec2/api/vpcs.ts → lab/reference/identity.ts',
    ]);
  });
});
