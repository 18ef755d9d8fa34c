/**
 * The run's verdict and one line per area, for the job summary of a GitHub
 * Actions run (the file `GITHUB_STEP_SUMMARY` names, Markdown, appended:
 * "Adding a job summary", GitHub Actions docs). Vitest's `github-actions`
 * reporter writes its own counts there too, but counts "could not tell" as
 * failures and knows no exit code; this says which of the four it was.
 */
import { appendFileSync } from 'node:fs';
import { markup, printable } from '../common/escape.ts';
import { readResults } from './json.ts';
import { exitCodeMeaning, type RunModel } from './model.ts';
import { areaLines } from './text.ts';

/** Text from targets or AWS, shown as itself: no Markdown or HTML it carries takes effect. */
const text = (value: string) => markup(printable(value)).replace(/([\\`*_[\]|#])/g, '\\$1');

/**
 * @example
 *   appendFileSync(process.env.GITHUB_STEP_SUMMARY!, stepSummary(readResults('reports/out/results.json')));
 */
export function stepSummary(model: RunModel): string {
  const { meta } = model;
  const lines = [
    `## meshcheck: exit ${model.exitCode} — ${exitCodeMeaning(model.exitCode)}`,
    '',
    `${text(meta.target || 'no target resolved')} · ${text(meta.profile)} · run \`${printable(meta.runId).replace(/`/g, "'")}\``,
    '',
    ...areaLines(model.tests).map((line) => `- ${text(line)}`),
  ];
  // Why a run stopped (bad input, its deadline, a crash) is its first problem.
  const [problem] = model.problems;
  if (problem) lines.push('', `> ${text(problem.message.split('\n')[0]!)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Appends the summary of the results file in `reportsDir` to `path`; never
 * throws — a summary that cannot be written must not change the run's exit.
 */
export function appendStepSummary(reportsDir: string, path: string): string | undefined {
  try {
    appendFileSync(path, stepSummary(readResults(`${reportsDir}/results.json`)));
    return undefined;
  } catch (error) {
    return `could not write the job summary to ${path}: ${(error as Error).message}`;
  }
}
