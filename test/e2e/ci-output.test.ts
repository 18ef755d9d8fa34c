import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { runValidate } from './support/validate.ts';

/**
 * What a GitHub Actions log and job summary show of a run: validate adds
 * vitest's `github-actions` reporter, appends its verdict and one line per
 * area to the job summary, and ends its console output with the same lines.
 */
test('in GitHub Actions, the job summary holds vitest’s report and the verdict with one line per area; the log ends with them', async ({
  expect,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'meshcheck-ci-'));
  const summary = join(dir, 'summary.md');
  await writeFile(summary, '');
  const run = await runValidate(['--only', 'network'], {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_STEP_SUMMARY: summary,
  });
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  const { passed, failed, errored, skipped } = run.results!.summary;
  const line = `network: ${passed} passed, ${failed} failed, ${errored} could not tell, ${skipped} skipped`;
  expect(passed).toBeGreaterThan(5);

  const written = await readFile(summary, 'utf8');
  // Vitest's reporter first (it writes at the end of the checks), then the verdict once the run is over.
  const vitest = written.indexOf('## Vitest Test Report');
  const ours = written.indexOf('## meshcheck: exit 0 — conforms');
  expect(vitest).toBeGreaterThanOrEqual(0);
  expect(ours).toBeGreaterThan(vitest);
  expect(written.slice(ours)).toContain(`\n- ${line}\n`);

  expect(run.stdout).toMatch(new RegExp(`^${line}$`, 'm'));
  // The checks' evidence stays in the reports: no notice annotation per check.
  expect(run.stdout).not.toMatch(/^::notice/m);
});
