import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'vitest';

/**
 * Parts of the twin whose modules import no cycle. A service's files once
 * imported its own definition (api.ts) to reach its models, and api.ts
 * imports them: a cycle that makes load order matter and the service hard
 * to read. The request context now hands a service its models
 * (`ctx.modelIn`), and EC2's resource files share their look-ups through a
 * leaf module instead of importing each other. Add a folder here once its
 * cycles are gone.
 *
 * The walk is hand-written: the project's TypeScript (7, the native
 * compiler) has no JavaScript API to list a file's imports, and madge is no
 * dependency of the project. Biome formats every import at the start of a
 * line and ends it with `from '…';`, which is all this reads; type-only
 * imports count, as they do for madge, since a reader follows them too.
 */
const ACYCLIC = ['twin/services/kms/', 'twin/services/cloudtrail/', 'twin/services/ec2/'];

const root = join(import.meta.dirname, '../../..');
const IMPORT = /^(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)';?$|^import\s+'(\.{1,2}\/[^']+)';?$/gm;

/** Relative module specifiers a file imports or re-exports. */
function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

/** Every cycle (strongly connected set of two or more files, or a file importing itself), by Tarjan's algorithm. */
function cyclesIn(files: ReadonlyMap<string, string>): string[][] {
  const edges = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = importsOf(text).map((spec) => normalize(join(dirname(file), spec)));
    edges.set(
      file,
      targets.filter((t) => files.has(t)),
    );
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const to of edges.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1 || edges.get(file)!.includes(file)) cycles.push(members.sort());
  };
  for (const file of files.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

async function sourcesUnder(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const path = join(e.parentPath, e.name);
    files.set(relative(root, path), await readFile(path, 'utf8'));
  }
  return files;
}

describe('the import graph', () => {
  test('the walk finds a cycle, multi-line and type-only imports included', ({ expect }) => {
    const files = new Map([
      ['s/api.ts', "import {\n  a,\n  b,\n} from './api/shared.ts';\nexport const def = 1;"],
      ['s/api/shared.ts', "import type { Def } from '../api.ts';\nimport { x } from './leaf.ts';"],
      ['s/api/leaf.ts', " * @example import { def } from '../api.ts';\nexport const x = 1;"],
    ]);
    expect(cyclesIn(files)).toEqual([['s/api.ts', 's/api/shared.ts']]);
  });

  test(`no module under ${ACYCLIC.join(', ')} is part of an import cycle`, async ({ expect }) => {
    const files = await sourcesUnder('twin');
    expect(files.size).toBeGreaterThan(100);
    const offending = cyclesIn(files).filter((cycle) =>
      cycle.some((file) => ACYCLIC.some((folder) => file.startsWith(folder))),
    );
    expect(offending.map((cycle) => cycle.join(' ⇄ '))).toEqual([]);
  });
});
