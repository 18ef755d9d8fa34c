import { TargetsError } from '../helpers/errors.ts';
import { sweepObjects, sweepProbes } from '../helpers/sweep.ts';
import { loadTargets } from '../helpers/targets/index.ts';
import { clientsForTargets } from '../helpers/targets/resolve.ts';

/**
 * Sweeps what crashed runs left behind in the lab account the targets name:
 * probe functions tagged `meshcheck:run` and objects under `meshcheck/` in
 * the probe bucket, of any run, older than the bound (so a run in progress
 * elsewhere keeps its own). The network and data-protection checks create
 * nothing that outlives their run.
 */
export async function cleanup(options: {
  targets: string | undefined;
  olderThanHours: number;
}): Promise<number> {
  if (!options.targets) {
    console.error('meshcheck cleanup needs --targets FILE (it sweeps the lab account that file names)');
    return 2;
  }
  if (!Number.isFinite(options.olderThanHours) || options.olderThanHours < 0) {
    console.error('meshcheck cleanup: --older-than-hours must be a number of hours, 0 or more');
    return 2;
  }
  let targets: Awaited<ReturnType<typeof loadTargets>>;
  try {
    targets = await loadTargets(options.targets);
  } catch (error) {
    if (error instanceof TargetsError) {
      console.error(`meshcheck: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const clients = clientsForTargets(targets)('lab');
  const olderThanMs = options.olderThanHours * 3_600_000;
  const swept = [...(await sweepProbes(clients, { olderThanMs }))];
  const bucket = targets.endpoints?.probe?.bucket;
  if (bucket) swept.push(...(await sweepObjects(clients, bucket, { olderThanMs })));
  console.log(
    swept.length
      ? `meshcheck cleanup: removed ${swept.length} leftovers: ${swept.map((s) => `${s.id} (run ${s.runId})`).join(', ')}`
      : `meshcheck cleanup: nothing older than ${options.olderThanHours} h left by meshcheck`,
  );
  return 0;
}
