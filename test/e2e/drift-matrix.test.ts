import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../../helpers/targets/index.ts';
import { drifts } from '../../twin/drifts/index.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * The suite's own test: each drift, applied to a clean lab through the
 * public API, must fail exactly the checklist items it declares — no more,
 * no fewer — and leave nothing the suite cannot tell.
 */
let lab: ReferenceTwin;
let targets: ResolvedTargets;
let example: string;

beforeAll(async () => {
  // The reference targets, with waits sized for the twin's fast profile: a drift that stops the
  // pipeline is proved by receipts and CloudTrail events that do not come, which takes the bound.
  const targetsFile = JSON.parse(await readFile(join(ROOT, 'targets.example.json'), 'utf8'));
  Object.assign(targetsFile.dataProtection, { receiptTimeoutSeconds: 8, cloudTrailTimeoutSeconds: 8 });
  example = join(await mkdtemp(join(tmpdir(), 'meshcheck-matrix-')), 'targets.json');
  await writeFile(example, JSON.stringify(targetsFile));
  lab = await serveReferenceLab();
  // Resolve as the runner would: the SDK's default settings point at the twin.
  Object.assign(process.env, twinEnv(lab.server.endpoint, lab.runner()));
  targets = await resolveTargets(await loadTargets(example));
});
afterAll(() => lab.server.close());

describe('the drift matrix', () => {
  for (const drift of drifts)
    test(`${drift.id}: ${drift.says}`, async ({ expect, skip }) => {
      if (!drift.appliesTo(targets)) return skip(`the reference lab has nothing ${drift.id} changes`);
      await lab.server.reset();
      const operator = lab.operator(targets);
      const breaks = await drift.breaks(targets, operator);
      await drift.apply(targets, operator);
      const run = await runValidate(['--targets', example], twinEnv(lab.server.endpoint, lab.runner()));
      expect(
        run.results,
        `validate wrote no results (exit ${run.code}):\n${run.stderr.slice(-1500)}`,
      ).toBeDefined();
      const notPassing = run.results!.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
      const errored = notPassing.filter((t) => t.verdict === 'error').map((t) => `${t.name}: ${t.message}`);
      const failed = notPassing.filter((t) => t.verdict === 'fail').map((t) => t.name);
      expect(errored, 'nothing may error').toEqual([]);
      expect(
        failed.filter((name) => !breaks.some((b) => name.startsWith(b))),
        'failed but not declared',
      ).toEqual([]);
      expect(
        breaks.filter((b) => !failed.some((name) => name.startsWith(b))),
        'declared but did not fail',
      ).toEqual([]);
      expect(run.code).toBe(1);
    });
});
