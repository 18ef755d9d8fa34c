import { readFile } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    targets: ResolvedTargets;
  }
}

/**
 * Resolves the targets once for every test file. `meshcheck validate`
 * resolves them before starting vitest (to exit 2 on a bad file before any
 * check) and hands them over in MESHCHECK_RESOLVED_TARGETS; run directly,
 * vitest resolves MESHCHECK_TARGETS itself. The resolver is imported only
 * then: loaded through vitest's module runner, the SDK costs seconds.
 */
export default async function setup(project: TestProject): Promise<void> {
  const handedOver = process.env.MESHCHECK_RESOLVED_TARGETS;
  if (handedOver) {
    project.provide('targets', JSON.parse(await readFile(handedOver, 'utf8')) as ResolvedTargets);
    return;
  }
  const path = process.env.MESHCHECK_TARGETS;
  if (!path) throw new Error('set MESHCHECK_TARGETS to a targets file, or run `npm run validate`');
  const { loadTargets, resolveTargets } = await import('../../helpers/targets/index.ts');
  project.provide('targets', await resolveTargets(await loadTargets(path)));
}
