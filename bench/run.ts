import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTargets, resolveTargets } from '../helpers/targets/index.ts';
import { drifts } from '../lab/drifts/index.ts';
import { areasOf, Conformance, withMatrixWaits } from '../test/e2e/support/conformance.ts';
import { serveReferenceLab } from '../test/e2e/support/reference-twin.ts';
import { ROOT, runValidate, twinEnv, type ValidateRun } from '../test/e2e/support/validate.ts';
import { profileNamed } from '../twin/state/profile.ts';

/**
 * `npm run bench`: what a full `validate` on the embedded twin costs, and
 * proof that slow evidence overlaps. Timing lives here, never in a test.
 *
 * 1. The whole suite on the fast profile (goal ≤ 10 s on 2 cores): wall time
 *    over a few runs, and the AWS calls it made per operation.
 * 2. The data-protection slice on the realistic profile, scaled: its wall
 *    time against the CloudTrail delay and against the sum of its waits.
 * 3. The drift matrix's cost per drift (reset, apply, the areas it breaks),
 *    for a sample of drifts (BENCH_DRIFTS, ids comma-separated): what
 *    `npm test` grows by for each drift a slice adds.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const runs = Number(process.env.BENCH_RUNS ?? 3);
/** Which parts to run (BENCH_PARTS=validate,realistic,matrix; all by default). */
const parts = (process.env.BENCH_PARTS ?? 'validate,realistic,matrix').split(',');
const scale = Number(process.env.BENCH_REALISTIC_SCALE ?? 0.05);

interface Results {
  calls?: Record<string, number>;
  tests: { id: string; name: string; verdict: string; durationMs?: number }[];
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
if (parts.includes('validate')) await benchValidate();
async function benchValidate(): Promise<void> {
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
}

// 2. Overlap on the realistic profile.
if (parts.includes('realistic')) await benchRealistic();
async function benchRealistic(): Promise<void> {
  const realistic = profileNamed('realistic', scale);
  const { ms, results } = await timed([
    '--twin-profile',
    'realistic',
    '--scale',
    String(scale),
    '--only',
    'data-protection',
  ]);
  const durationOf = (id: string) =>
    results.tests.filter((t) => t.id === id).reduce((n, t) => n + (t.durationMs ?? 0), 0);
  const waits =
    durationOf('D7') + durationOf('D8') + durationOf('D9') + durationOf('D10') + durationOf('D11');
  console.log(`\nData-protection slice, realistic profile at scale ${scale}:`);
  console.log(
    `  CloudTrail delay ${seconds(realistic.cloudTrailVisibleMs * scale)}, Lambda activation ${seconds(realistic.lambdaActivationMs * scale)}`,
  );
  console.log(`  wall time ${seconds(ms)} (including ~3 s of process and twin start-up)`);
  console.log(
    `  the same waits one after another: ${seconds(waits)} (sum of the receipt, read and CloudTrail checks)`,
  );
}

// 3. The drift matrix, per drift.
if (parts.includes('matrix')) await benchMatrix();
async function benchMatrix(): Promise<void> {
  const sample = (
    process.env.BENCH_DRIFTS ??
    'net-tgw-auto-accept-on,net-sg-icmp-revoked,ep-private-dns-off,dp-topic-unencrypted,dp-processor-loses-generate-data-key'
  ).split(',');
  const lab = await serveReferenceLab();
  const conformance = await Conformance.open();
  const targetsFile = await withMatrixWaits(join(ROOT, 'targets.example.json'));
  Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
  const targets = await resolveTargets(await loadTargets(targetsFile));
  console.log(
    '\nDrift matrix on the reference lab, per drift (reset, apply, the areas its checks belong to):',
  );
  const perDrift: number[] = [];
  for (const drift of drifts.filter((d) => sample.includes(d.id))) {
    const started = performance.now();
    await lab.reset();
    const operator = lab.operator(targets);
    const breaks = await drift.breaks(targets, operator);
    await drift.apply(targets, operator);
    const areas = areasOf(breaks);
    const run = await conformance.run(targetsFile, twinEnv(lab.endpoint, lab.runner()), areas);
    const ms = performance.now() - started;
    perDrift.push(ms);
    const failed = run.results?.tests.filter((t) => t.verdict !== 'pass' && t.verdict !== 'skip').length;
    console.log(
      `  ${seconds(ms).padStart(7)}  ${drift.id} (${areas.join(', ')}; ${failed ?? '?'} not passing, exit ${run.code})`,
    );
  }
  await conformance.close();
  await lab.close();
  const mean = perDrift.reduce((a, b) => a + b, 0) / perDrift.length;
  console.log(
    `  mean ${seconds(mean)} per drift, one after another in a matrix file (they run in 3 files side by side)`,
  );
}
