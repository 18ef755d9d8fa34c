import { terminalText } from '../common/escape.ts';
import { reading, TargetsError } from '../helpers/errors.ts';
import { type Swept, sweepAll } from '../helpers/sweep.ts';
import { loadTargets } from '../helpers/targets/index.ts';
import { clientsForTargets } from '../helpers/targets/resolve.ts';

/**
 * Sweeps what crashed runs left behind in the lab account the targets name:
 * probe functions tagged `meshcheck:run` and objects under `meshcheck/` in
 * the probe and receipt buckets, of any run, older than the bound (2 hours
 * by default, so a run in progress elsewhere keeps its own). The network
 * checks create nothing.
 */
export async function cleanup(options: {
  targets: string | undefined;
  /** `--region`: overrides the targets' region and the SDK's chain. */
  region?: string | undefined;
  olderThanHours: number;
}): Promise<number> {
  if (!options.targets) {
    console.error('meshcheck cleanup needs --targets FILE (it sweeps the lab account that file names)');
    return 2;
  }
  let targets: Awaited<ReturnType<typeof loadTargets>>;
  try {
    targets = await loadTargets(options.targets, { region: options.region });
  } catch (error) {
    if (error instanceof TargetsError) {
      console.error(terminalText(`meshcheck: ${error.message}`));
      return 2;
    }
    throw error;
  }
  const clients = clientsForTargets(targets)('lab');
  const olderThanMs = options.olderThanHours * 3_600_000;
  let swept: Swept[];
  try {
    swept = await reading('sweep what crashed runs left', () => sweepAll(clients, targets, { olderThanMs }));
  } catch (error) {
    // No credentials, no permission, AWS unreachable: the sweep could not tell (exit 3), not bad input.
    console.error(terminalText(`meshcheck: ${(error as Error).message}`));
    return 3;
  }
  console.log(
    terminalText(
      swept.length
        ? `meshcheck cleanup: removed ${swept.length} leftovers: ${swept.map((s) => `${s.id} (run ${s.runId})`).join(', ')}`
        : `meshcheck cleanup: nothing older than ${options.olderThanHours} h left by meshcheck`,
    ),
  );
  return 0;
}
