/**
 * Sweeps what crashed runs left behind: every resource tagged
 * `meshcheck:run`. The network checks create nothing; probes and test
 * objects are swept here as they are added.
 */
export async function cleanup(options: {
  targets: string | undefined;
  olderThanHours: number;
}): Promise<number> {
  if (!options.targets) {
    console.error('meshcheck cleanup needs --targets FILE (it sweeps the accounts that file names)');
    return 2;
  }
  console.log(
    `meshcheck cleanup: nothing the current checks create outlives a run (older than ${options.olderThanHours} h)`,
  );
  return 0;
}
