import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runValidate, type ValidateRun } from '../test/e2e/support/validate.ts';
import { profileNamed } from '../twin/state/profile.ts';

/**
 * `npm run bench`: what a full `validate` on the embedded twin costs, and
 * proof that slow evidence overlaps. Timing lives here, never in a test.
 *
 * 1. The whole suite on the fast profile (goal ≤ 10 s on 2 cores): wall time
 *    over a few runs, and the AWS calls it made per operation.
 * 2. The data-protection slice on the realistic profile, scaled: its wall
 *    time against the CloudTrail delay and against the sum of its waits.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const scale = Number(process.env.BENCH_REALISTIC_SCALE ?? 0.05);

interface Results {
  calls?: Record<string, number>;
  tests: { name: string; verdict: string; durationMs?: number }[];
}

async function timed(args: string[]): Promise<{ ms: number; run: ValidateRun; results: Results }> {
  const started = performance.now();
  const run = await runValidate(args, {});
  const ms = performance.now() - started;
  if (run.code !== 0) {
    console.error(`validate ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    process.exit(1);
  }
  return {
    ms,
    run,
    results: JSON.parse(await readFile(join(run.reportsDir, 'results.json'), 'utf8')) as Results,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// 1. The whole suite, fast profile.
const walls: number[] = [];
let last: Results | undefined;
for (let i = 0; i < runs; i++) {
  const { ms, results } = await timed(['--twin-profile', 'fast']);
  walls.push(ms);
  last = results;
}
walls.sort((a, b) => a - b);
console.log(
  `\nFull validate on the embedded twin, fast profile, ${runs} runs (${last!.tests.length} checks):`,
);
console.log(
  `  median ${seconds(walls[Math.floor(walls.length / 2)]!)}, min ${seconds(walls[0]!)}, max ${seconds(walls.at(-1)!)} (goal ≤ 10 s on 2 cores)`,
);
const calls = Object.entries(last!.calls ?? {}).sort((a, b) => b[1] - a[1]);
console.log(`  AWS calls: ${calls.reduce((n, [, c]) => n + c, 0)} in all`);
for (const [op, count] of calls) console.log(`    ${String(count).padStart(5)}  ${op}`);

// 2. Overlap on the realistic profile.
const realistic = profileNamed('realistic', scale);
const { ms, results } = await timed([
  '--twin-profile',
  'realistic',
  '--scale',
  String(scale),
  '--only',
  'data-protection',
]);
const durationOf = (prefix: string) =>
  results.tests.filter((t) => t.name.startsWith(prefix)).reduce((n, t) => n + (t.durationMs ?? 0), 0);
const waits =
  durationOf('D7 ') + durationOf('D8 ') + durationOf('D9 ') + durationOf('D10 ') + durationOf('D11 ');
console.log(`\nData-protection slice, realistic profile at scale ${scale}:`);
console.log(
  `  CloudTrail delay ${seconds(realistic.cloudTrailVisibleMs * scale)}, Lambda activation ${seconds(realistic.lambdaActivationMs * scale)}`,
);
console.log(`  wall time ${seconds(ms)} (including ~3 s of process and twin start-up)`);
console.log(
  `  the same waits one after another: ${seconds(waits)} (sum of the receipt, read and CloudTrail checks)`,
);
