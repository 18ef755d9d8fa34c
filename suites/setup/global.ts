import type { TestProject } from 'vitest/node';
import type { EarlyProbe } from '../../helpers/probe.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    targets: ResolvedTargets;
    /**
     * The reach probes `meshcheck validate` created as soon as the targets resolved, by placement, so
     * their activation overlaps vitest's start; absent in a run without the endpoints area, and when
     * vitest runs by itself (the probe file then deploys its own).
     */
    probes?: Record<string, EarlyProbe>;
  }
}

/**
 * Resolves the targets once for every test file. `meshcheck validate`
 * resolves them before starting vitest (to exit 2 on a bad file before any
 * check) and provides them itself (`vitest.provide`); run directly, vitest
 * resolves the file MESHCHECK_TARGETS names. The resolver is imported only
 * then: loaded through vitest's module runner, the SDK costs seconds.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (project.getProvidedContext().targets) return;
  const path = process.env.MESHCHECK_TARGETS;
  if (!path) throw new Error('set MESHCHECK_TARGETS to a targets file, or run `npm run validate`');
  const { loadTargets, resolveTargets } = await import('../../helpers/targets/index.ts');
  project.provide('targets', await resolveTargets(await loadTargets(path)));
}
