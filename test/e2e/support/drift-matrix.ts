import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../../../helpers/targets/index.ts';
import { drifts } from '../../../twin/drifts/index.ts';
import type { Drift, Operator } from '../../../twin/drifts/types.ts';
import { runValidate, twinEnv } from './validate.ts';

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
 */
export function describeDriftMatrix(
  title: string,
  setup: { targetsFile: string; serve: () => Promise<ServedLab>; only?: string[] },
): void {
  let lab: ServedLab;
  let targets: ResolvedTargets;
  let targetsFile: string;

  beforeAll(async () => {
    // Waits sized for the twin's fast profile: a drift that stops the pipeline is proved by
    // receipts and CloudTrail events that do not come, which takes the whole bound. A receipt takes
    // 1–2 s on an idle machine; 15 s leaves room for two matrices sharing two cores in CI.
    const file = JSON.parse(await readFile(setup.targetsFile, 'utf8'));
    if (file.dataProtection)
      Object.assign(file.dataProtection, { receiptTimeoutSeconds: 15, cloudTrailTimeoutSeconds: 15 });
    targetsFile = join(await mkdtemp(join(tmpdir(), 'meshcheck-matrix-')), 'targets.json');
    await writeFile(targetsFile, JSON.stringify(file));
    lab = await setup.serve();
    // Resolve as the runner would: the SDK's default settings point at the twin.
    Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
    targets = await resolveTargets(await loadTargets(targetsFile));
  });
  afterAll(() => lab?.close());

  const chosen: Drift[] = setup.only ? drifts.filter((d) => setup.only!.includes(d.id)) : drifts;
  describe(title, () => {
    for (const drift of chosen)
      test(`${drift.id}: ${drift.says}`, async ({ expect, skip }) => {
        if (!drift.appliesTo(targets)) return skip(`the lab has nothing ${drift.id} changes`);
        await lab.reset();
        const operator = lab.operator(targets);
        const breaks = await drift.breaks(targets, operator);
        await drift.apply(targets, operator);
        const run = await runValidate(['--targets', targetsFile], twinEnv(lab.endpoint, lab.runner()));
        expect(
          run.results,
          `validate wrote no results (exit ${run.code}):\n${run.stderr.slice(-1500)}`,
        ).toBeDefined();
        const notPassing = run.results!.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
        // An error is accepted only as BlockedError naming a check the drift declares ("— see D7 apple").
        const blockedByDeclared = (t: { errorType?: string; message?: string }) =>
          t.errorType === 'BlockedError' &&
          breaks.some((b) => b.split(' ')[0] === / — see (\w+)/.exec(t.message ?? '')?.[1]);
        const errored = notPassing
          .filter((t) => t.verdict === 'error' && !blockedByDeclared(t))
          .map((t) => `${t.name}: ${t.message}`);
        const failed = notPassing.filter((t) => t.verdict === 'fail').map((t) => t.name);
        expect(errored, 'nothing may error but checks blocked by a declared one').toEqual([]);
        const undeclared = failed.filter((name) => !breaks.some((b) => name.startsWith(b)));
        expect(
          undeclared,
          `failed but not declared; the twin's pipeline: ${undeclared.length ? JSON.stringify(lab.diagnose()) : ''}`,
        ).toEqual([]);
        expect(
          breaks.filter((b) => !failed.some((name) => name.startsWith(b))),
          'declared but did not fail',
        ).toEqual([]);
        expect(run.code).toBe(1);
      });
  });
}
