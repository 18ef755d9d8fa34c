import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, type ExpectStatic, test } from 'vitest';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../../../helpers/targets/index.ts';
import { drifts } from '../../../lab/drifts/index.ts';
import type { Break, Drift, Operator } from '../../../lab/drifts/types.ts';
import { areasOf, Conformance, withMatrixWaits } from './conformance.ts';
import { ROOT, twinEnv, type ValidateRun } from './validate.ts';

/** A lab served on a twin for a test file: its runner, an operator for drifts, and a way back to clean. */
export interface ServedLab {
  endpoint: string;
  runner(): { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  operator(targets: ResolvedTargets): Operator;
  /** The lab as it was built, drifts undone. */
  reset(): Promise<void>;
  /** What the twin can tell about an unexpected failure (the pipeline's counters). */
  diagnose(): unknown;
  close(): Promise<void>;
}

/**
 * The suite's own test: each drift, applied to a clean lab through the
 * public API, must fail exactly the checklist items it declares — no more,
 * no fewer — and leave nothing the suite cannot tell. `only` picks drifts
 * by id; drifts that do not apply to the lab are reported as skipped.
 *
 * Each drift runs the areas of the checklist its declared checks belong to
 * (as `validate --only` would), in this process on one long-lived vitest
 * (see Conformance). MESHCHECK_MATRIX_AREAS=all runs every area for every
 * drift, proving also that nothing outside them fails (about twice the time).
 */
export function describeDriftMatrix(
  title: string,
  setup: {
    targetsFile: string;
    serve: () => Promise<ServedLab>;
    only?: string[];
    /** `[k, n]`: the k-th of n files sharing the catalogue (every n-th drift from the k-th), so they run side by side. */
    part?: [number, number];
  },
): void {
  let lab: ServedLab;
  let targets: ResolvedTargets;
  let targetsFile: string;
  let conformance: Conformance;

  beforeAll(async () => {
    targetsFile = await withMatrixWaits(setup.targetsFile);
    [lab, conformance] = await Promise.all([setup.serve(), Conformance.open()]);
    // Resolve as the runner would: the SDK's default settings point at the twin.
    Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
    targets = await resolveTargets(await loadTargets(targetsFile));
  });
  afterAll(async () => {
    await conformance?.close();
    await lab?.close();
  });

  const [k, n] = setup.part ?? [1, 1];
  const wanted = setup.only ? drifts.filter((d) => setup.only!.includes(d.id)) : drifts;
  const chosen: Drift[] = n === 1 ? wanted : partOf(wanted, k, n);
  describe(title, () => {
    for (const drift of chosen)
      test(`${drift.id}: ${drift.says}`, async ({ expect, skip }) => {
        if (!drift.appliesTo(targets)) return skip(`the lab has nothing ${drift.id} changes`);
        await lab.reset();
        const operator = lab.operator(targets);
        const breaks = await drift.breaks(targets, operator);
        await drift.apply(targets, operator);
        const areas = process.env.MESHCHECK_MATRIX_AREAS === 'all' ? [] : areasOf(breaks);
        const run = await conformance.run(targetsFile, twinEnv(lab.endpoint, lab.runner()), areas);
        expectExactlyBroken(expect, run, breaks, () => lab.diagnose());
      });
  });
}

/**
 * Each drift fails exactly its declared checks, matched by the id and row the suite tags each test
 * with (task meta), never by its words: nothing errors (but checks a declared one blocks), nothing
 * else fails, exit code 1.
 */
export function expectExactlyBroken(
  expect: ExpectStatic,
  run: ValidateRun,
  breaks: Break[],
  diagnose: () => unknown,
): void {
  expect(
    run.results,
    `validate wrote no results (exit ${run.code}):\n${run.stderr.slice(-1500)}`,
  ).toBeDefined();
  const notPassing = run.results!.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
  // An error is accepted only as BlockedError naming a check the drift declares ("— see D7").
  const blockedByDeclared = (t: { errorType?: string; message?: string }) =>
    t.errorType === 'BlockedError' && breaks.some((b) => b.id === / — see (\w+)/.exec(t.message ?? '')?.[1]);
  const errored = notPassing
    .filter((t) => t.verdict === 'error' && !blockedByDeclared(t))
    .map((t) => `${t.name}: ${t.message}`);
  const failed = notPassing.filter((t) => t.verdict === 'fail');
  expect(errored, 'nothing may error but checks blocked by a declared one').toEqual([]);
  const undeclared = failed.filter((t) => !breaks.some((b) => isBroken(t, b))).map((t) => t.name);
  expect(
    undeclared,
    `failed but not declared; the twin's pipeline: ${undeclared.length ? JSON.stringify(diagnose()) : ''}`,
  ).toEqual([]);
  expect(
    breaks.filter((b) => !failed.some((t) => isBroken(t, b))).map(describeBreak),
    'declared but did not fail',
  ).toEqual([]);
  expect(run.code).toBe(1);
}

/** Whether a test (by its id and row) is the check a drift declares; a break without a row names every row. */
export function isBroken(test: { id: string; row?: string }, declared: Break): boolean {
  return test.id === declared.id && (declared.row === undefined || test.row === declared.row);
}

export function describeBreak(b: Break): string {
  return b.row === undefined ? b.id : `${b.id} [${b.row}]`;
}

/**
 * About how long one drift's run takes, in seconds, by the areas it fails on the reference lab: each
 * area's files run whole (one worker, one after another), and the endpoint and application areas wait
 * on probe and writer invocations (measured on an idle machine: network 3 s, data protection 4,
 * observability 5, endpoints 13, application 13), plus the reset and the change itself.
 */
const AREA_SECONDS: Record<string, number> = { N: 3, D: 4, O: 5, E: 13, S: 13, P: 10 };

/** The letters of the checks each drift fails on the reference lab, read from CHECKLIST.md's "proved by". */
function lettersByDrift(): Map<string, Set<string>> {
  const byDrift = new Map<string, Set<string>>();
  for (const line of readFileSync(join(ROOT, 'CHECKLIST.md'), 'utf8').split('\n')) {
    const letter = /^\| \*\*([A-Z]+)\d+\*\* \|/.exec(line)?.[1];
    if (!letter) continue;
    for (const [, id] of line.matchAll(/`([a-z0-9-]+)`/g)) {
      if (!byDrift.has(id!)) byDrift.set(id!, new Set());
      byDrift.get(id!)!.add(letter);
    }
  }
  return byDrift;
}

/**
 * The k-th of n files' share of the drifts, balanced by their expected time (longest first, each to
 * the least loaded file), so the files running side by side end together: striping the catalogue
 * left one file 100 s behind the others. Within a file, catalogue order.
 */
export function partOf(wanted: Drift[], k: number, n: number): Drift[] {
  const letters = lettersByDrift();
  const cost = (d: Drift) =>
    2 + [...(letters.get(d.id) ?? [])].reduce((sum, l) => sum + (AREA_SECONDS[l] ?? 13), 0);
  const load = Array.from({ length: n }, () => 0);
  const part = new Map<string, number>();
  for (const d of [...wanted].sort((a, b) => cost(b) - cost(a))) {
    const least = load.indexOf(Math.min(...load));
    part.set(d.id, least + 1);
    load[least]! += cost(d);
  }
  return wanted.filter((d) => part.get(d.id) === k);
}
