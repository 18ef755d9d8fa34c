import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runValidate } from '../test/e2e/support/validate.ts';

/**
 * `npm run bench`: the wall time of a full `validate` on the embedded twin
 * (fast profile; goal ≤ 10 s on 2 cores), peak memory, and the AWS calls it
 * made per operation. Timing lives here, never in a test assertion.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const times: number[] = [];
let last: Awaited<ReturnType<typeof runValidate>> | undefined;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  last = await runValidate(['--twin-profile', 'fast'], { BENCH: '1' });
  times.push(performance.now() - started);
  if (last.code !== 0) {
    console.error(`validate exited ${last.code}:\n${last.stderr.slice(-2000)}`);
    process.exit(1);
  }
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `validate on the embedded twin (fast profile), ${runs} runs: median ${(median / 1000).toFixed(2)} s, min ${(times[0]! / 1000).toFixed(2)} s, max ${(times.at(-1)! / 1000).toFixed(2)} s (goal ≤ 10 s)`,
);
const results = JSON.parse(await readFile(join(last!.reportsDir, 'results.json'), 'utf8')) as {
  calls?: Record<string, number>;
  summary: object;
};
const calls = Object.entries(results.calls ?? {}).sort((a, b) => b[1] - a[1]);
console.log(`AWS calls: ${calls.reduce((n, [, c]) => n + c, 0)} in all`);
for (const [op, count] of calls) console.log(`  ${String(count).padStart(5)}  ${op}`);
