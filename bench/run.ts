import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTargets, resolveTargets } from '../helpers/targets/index.ts';
import { drifts } from '../lab/drifts/index.ts';
import { areasOf, Conformance, withMatrixWaits } from '../test/e2e/support/conformance.ts';
import { serveReferenceLab } from '../test/e2e/support/reference-twin.ts';
import { ROOT, runValidate, twinEnv, type ValidateRun } from '../test/e2e/support/validate.ts';
import { type LatencyProfile, profileNamed } from '../twin/state/profile.ts';

/**
 * `npm run bench`: what a full `validate` on the embedded twin costs, and
 * proof that slow evidence overlaps. Timing lives here, never in a test.
 *
 * 1. The whole suite on the fast profile (goal ≤ 10 s on 2 cores): wall time
 *    over a few runs, and the AWS calls it made per operation.
 * 2. The whole suite, nightly (every area there is), on the realistic
 *    profile at two scales (BENCH_SCALES, default 0.1,1): its wall time
 *    against the slowest delivery delay it cannot avoid — CloudTrail's
 *    visibility, or a flow log's aggregation window plus its delivery,
 *    whichever is longer, read from the profile and scaled — (goal ≤ 1.15 ×)
 *    and against the sum of its checks' durations (the same waits one after
 *    another).
 * 3. The gate mode (no delivery waits) on the realistic profile at scale
 *    1 (BENCH_GATE_SCALE): its wall time (goal ≤ 60 s).
 * 4. The drift matrix's cost per drift (reset, apply, the areas it breaks),
 *    for a sample of drifts (BENCH_DRIFTS, ids comma-separated): what
 *    `npm test` grows by for each drift a slice adds.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const runs = Number(process.env.BENCH_RUNS ?? 3);
/** Which parts to run (BENCH_PARTS=validate,nightly,gate,matrix; all by default). */
const parts = (process.env.BENCH_PARTS ?? 'validate,nightly,gate,matrix').split(',');
const scales = (process.env.BENCH_SCALES ?? '0.1,1').split(',').map(Number);
const gateScale = Number(process.env.BENCH_GATE_SCALE ?? 1);

interface Results {
  run?: { startedAt?: string; finishedAt?: string };
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

// 2. The nightly run on the realistic profile, at each scale: its wall time against the delay it cannot beat.
if (parts.includes('nightly')) for (const scale of scales) await benchNightly(scale);
async function benchNightly(scale: number): Promise<void> {
  const { ms, results } = await timed(['--twin-profile', 'realistic', '--scale', String(scale)]);
  const floor = slowestDelivery(scale);
  const serial = results.tests.reduce((n, t) => n + (t.durationMs ?? 0), 0);
  const slowest = [...results.tests].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))[0];
  console.log(
    `\nNightly run, every area, realistic profile at scale ${scale} (${results.tests.length} checks):`,
  );
  console.log(`  slowest unavoidable delivery delay ${seconds(floor.ms)} (${floor.what})`);
  console.log(
    `  wall time ${seconds(ms)} = ${(ms / floor.ms).toFixed(2)} × that (goal ≤ 1.15; includes process and twin start-up)`,
  );
  const checks = checksMs(results);
  if (checks)
    console.log(
      `  the checks alone (vitest start to end): ${seconds(checks)} = ${(checks / floor.ms).toFixed(2)} ×`,
    );
  console.log(
    `  the same checks one after another: ${seconds(serial)}; the longest, ${slowest?.name ?? 'none'}: ${seconds(slowest?.durationMs ?? 0)}`,
  );
}

/** From the checks' start to their end, as results.json records the run: the wall time less start-up and sweep. */
function checksMs(results: Results): number | undefined {
  const { startedAt, finishedAt } = results.run ?? {};
  return startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : undefined;
}

/**
 * The delivery delay a nightly run must sit out, from the profile, scaled:
 * CloudTrail's visibility, or a flow log's aggregation window and then its
 * delivery when the suite has observability checks (the twin aggregates
 * for at most its capture window, the Nitro 60 s: "Flow log records", VPC
 * User Guide), whichever is longer.
 */
function slowestDelivery(scale: number): { ms: number; what: string } {
  const p = profileNamed('realistic', scale) as LatencyProfile & { flowLogCaptureMs?: number };
  const cloudTrail = { ms: p.cloudTrailVisibleMs * scale, what: 'CloudTrail visibility' };
  if (!existsSync(join(ROOT, 'suites/observability'))) return cloudTrail;
  const flowLogs = {
    ms: ((p.flowLogCaptureMs ?? 60_000) + p.flowLogDeliveryMs) * scale,
    what: 'flow-log aggregation and delivery',
  };
  return flowLogs.ms > cloudTrail.ms ? flowLogs : cloudTrail;
}

// 3. The gate run, realistic profile: no delivery waits, so what remains is the lab's own pace.
if (parts.includes('gate')) await benchGate();
async function benchGate(): Promise<void> {
  const { ms, results } = await timed([
    '--mode',
    'gate',
    '--twin-profile',
    'realistic',
    '--scale',
    String(gateScale),
  ]);
  const slowest = [...results.tests].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, 3);
  console.log(`\nGate run, realistic profile at scale ${gateScale} (${results.tests.length} checks):`);
  console.log(`  wall time ${seconds(ms)} (goal ≤ 60 s at scale 1; includes process and twin start-up)`);
  const checks = checksMs(results);
  if (checks) console.log(`  the checks alone (vitest start to end): ${seconds(checks)}`);
  console.log(
    `  longest checks: ${slowest.map((t) => `${t.name} ${seconds(t.durationMs ?? 0)}`).join('; ')}`,
  );
}

// 4. The drift matrix, per drift.
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
