/**
 * `results.json`: the machine-readable run, and {@link readResults} to load
 * it back (the CLI reads its exit code from here; the drift matrix reads
 * verdicts by each test's checklist id and row; `--baseline` reads a
 * previous night's).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { safeJson } from '../common/escape.ts';
import type { RunModel } from './model.ts';
import { redactText } from './redact.ts';

export const RESULTS_SCHEMA = 'meshcheck/results@1';

const verdict = z.enum(['pass', 'fail', 'error', 'skip']);
const change = z.enum(['newly-failing', 'still-failing', 'fixed', 'unchanged']);

export const resultsFile = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  run: z.object({
    runId: z.string(),
    target: z.string(),
    profile: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    endReason: z.string(),
    vitestVersion: z.string(),
  }),
  summary: z.object({
    passed: z.number(),
    failed: z.number(),
    errored: z.number(),
    skipped: z.number(),
    total: z.number(),
    durationMs: z.number(),
  }),
  exitCode: z.literal([0, 1, 2, 3, 130, 143]),
  tests: z.array(
    z.object({
      id: z.string(),
      row: z.string().optional(),
      name: z.string(),
      section: z.string(),
      file: z.string(),
      verdict,
      durationMs: z.number(),
      startedAt: z.string().optional(),
      message: z.string().optional(),
      errorType: z.string().optional(),
      details: z.string().optional(),
      evidence: z.array(z.object({ kind: z.string(), summary: z.string(), value: z.unknown() })),
      notes: z.array(z.object({ type: z.string(), message: z.string() })),
      tags: z.array(z.string()),
      change: change.optional(),
    }),
  ),
  problems: z.array(z.object({ message: z.string(), details: z.string().optional() })),
  calls: z.record(z.string(), z.number()),
  baseline: z
    .object({
      path: z.string(),
      runId: z.string(),
      finishedAt: z.string(),
      counts: z.record(change, z.number()),
      notChecked: z.array(z.object({ id: z.string(), row: z.string().optional(), name: z.string() })),
    })
    .optional(),
});

/** The JSON document of a run: `{ schema, run, summary, exitCode, tests, problems, calls }`. */
export type ResultsFile = z.infer<typeof resultsFile>;

/** The results document for a model, as text (redacted, two-space indented). */
export function renderJson(model: RunModel): string {
  const document: ResultsFile = {
    schema: RESULTS_SCHEMA,
    run: model.meta,
    summary: model.summary,
    exitCode: model.exitCode,
    tests: model.tests,
    problems: model.problems,
    calls: model.calls,
    ...(model.baseline ? { baseline: model.baseline } : {}),
  };
  return `${safeJson(redactText(JSON.stringify(document, null, 2)))}\n`;
}

/**
 * Loads a `results.json` written by the reporter back into the report model.
 * Throws, naming the file and the first mismatch, when it is not one.
 */
export function readResults(path: string): RunModel {
  const parsed = resultsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a meshcheck results file: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { run, summary, exitCode, tests, problems, calls, baseline } = parsed.data;
  return { meta: run, summary, exitCode, tests, problems, calls, ...(baseline ? { baseline } : {}) };
}
