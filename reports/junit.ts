/**
 * JUnit XML for CI dashboards (Jenkins, GitLab): one `<testsuite>` per
 * checklist section of each file, one `<testcase>` per checklist item.
 * Fail → `<failure>`, error → `<error>`, skip → `<skipped message>`.
 *
 * The document validates against the Jenkins xunit plugin's `junit-10.xsd`
 * (vendored in test/fixtures/junit/, checked by test/e2e/junit-schema.test.ts),
 * the strictest schema dashboards apply: `<testsuites>` takes only name,
 * time, tests, failures and errors; a `<testcase>` takes no `file` attribute
 * and no `<properties>`. So run facts and call counts ride as properties of
 * the suites, and each item's id, verdict, tags and evidence ride, readable,
 * in its `<system-out>` (the whole evidence is in results.json).
 */
import { checkLabel } from './baseline.ts';
import { exitCodeMeaning, type RunModel, type TestRecord } from './model.ts';
import { redactText } from './redact.ts';
import { compactJson, evidenceAsText, truncate } from './text.ts';
import { type Attrs, element, xmlText } from './xml.ts';

/** Property values are one line each; long JSON is cut (the full value is in results.json). */
const PROPERTY_LIMIT = 4_000;
const RUN_SUITE = 'meshcheck run';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: string;
}

/** The whole JUnit document for a run. */
export function renderJunit(model: RunModel): string {
  const timestamp = junitTimestamp(model.meta.startedAt);
  const suites = [
    runSuite(model, timestamp),
    ...groupSuites(model.tests).map((g) => testSuite(model, g, timestamp)),
  ];
  const root = sumCounts(
    suites.map((s) => s.counts),
    model.summary.durationMs,
  );
  const { skipped: _skipped, ...rootAttrs } = root;
  const open = openTag('testsuites', { name: 'meshcheck', ...rootAttrs });
  return redactText(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      open,
      ...suites.flatMap((s) => s.lines),
      '</testsuites>',
      '',
    ].join('\n'),
  );
}

interface Group {
  file: string;
  section: string;
  tests: TestRecord[];
}

/** Tests grouped by file and section, in the order they appear. */
function groupSuites(tests: readonly TestRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const test of tests) {
    const key = `${test.file}\u0000${test.section}`;
    const group = groups.get(key) ?? { file: test.file, section: test.section, tests: [] };
    group.tests.push(test);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The run's own suite: metadata and API call counts as properties, run problems as errored cases. */
function runSuite(model: RunModel, timestamp: string): { counts: Counts; lines: string[] } {
  const { meta, calls } = model;
  const properties: [string, string][] = [
    ...runProperties(model),
    ['exitCode', String(model.exitCode)],
    ['exitCodeMeaning', exitCodeMeaning(model.exitCode)],
    ['endReason', meta.endReason],
    ['startedAt', meta.startedAt],
    ['vitest', meta.vitestVersion],
    ...baselineProperties(model),
    ...Object.entries(calls).map(([op, count]): [string, string] => [`calls:${op}`, String(count)]),
  ];
  const cases = model.problems.map((problem, i) =>
    element('testcase', { classname: RUN_SUITE, name: `run problem ${i + 1}`, time: '0.000' }, [
      element('error', { message: problem.message, type: 'RunProblem' }, [
        xmlText(problem.details ?? problem.message),
      ]),
    ]),
  );
  const counts: Counts = {
    tests: cases.length,
    failures: 0,
    errors: cases.length,
    skipped: 0,
    time: '0.000',
  };
  const open = openTag('testsuite', { name: RUN_SUITE, ...counts, timestamp });
  return {
    counts,
    lines: [
      `  ${open}`,
      ...propertiesLines(properties, 2),
      ...cases.map((c) => `    ${c}`),
      '  </testsuite>',
    ],
  };
}

/** What changed since the baseline run, as the run suite's properties (each check's own move is in its facts). */
function baselineProperties(model: RunModel): [string, string][] {
  const b = model.baseline;
  if (!b) return [];
  return [
    ['baseline.runId', b.runId],
    ['baseline.finishedAt', b.finishedAt],
    ...Object.entries(b.counts).map(([change, n]): [string, string] => [`baseline.${change}`, String(n)]),
    ['baseline.notChecked', b.notChecked.map(checkLabel).join(', ')],
  ];
}

function runProperties(model: RunModel): [string, string][] {
  return [
    ['runId', model.meta.runId],
    ['target', model.meta.target],
    ['profile', model.meta.profile],
  ];
}

function testSuite(model: RunModel, group: Group, timestamp: string): { counts: Counts; lines: string[] } {
  const durationMs = group.tests.reduce((sum, t) => sum + t.durationMs, 0);
  const counts: Counts = {
    tests: group.tests.length,
    failures: group.tests.filter((t) => t.verdict === 'fail').length,
    errors: group.tests.filter((t) => t.verdict === 'error').length,
    skipped: group.tests.filter((t) => t.verdict === 'skip').length,
    time: seconds(durationMs),
  };
  const attrs: Attrs = { name: group.section, ...counts, timestamp, file: group.file };
  const cases = group.tests.flatMap((test) => testCase(model, test));
  return {
    counts,
    lines: [
      `  ${openTag('testsuite', attrs)}`,
      ...propertiesLines(runProperties(model), 2),
      ...cases,
      '  </testsuite>',
    ],
  };
}

/** One checklist item, as lines. Children in the order strict JUnit schemas expect. */
export function testCase(model: RunModel, test: TestRecord): string[] {
  const lines: string[] = [];
  const outcome = outcomeElement(test);
  if (outcome) lines.push(`      ${outcome}`);
  const out = [caseFacts(model, test), evidenceAsText(test.evidence, test.notes)]
    .filter(Boolean)
    .join('\n\n');
  lines.push(`      ${element('system-out', {}, [xmlText(out)])}`);
  const attrs = { classname: test.file, name: test.name, time: seconds(test.durationMs) };
  return [`    ${openTag('testcase', attrs)}`, ...lines, '    </testcase>'];
}

/** What a testcase cannot carry as properties under junit-10.xsd, as `key: value` lines. */
function caseFacts(model: RunModel, test: TestRecord): string {
  const facts: [string, string][] = [
    ['id', test.id],
    ['row', test.row ?? ''],
    ['section', test.section],
    ['file', test.file],
    ['runId', model.meta.runId],
    ['verdict', test.verdict],
    ['change', test.change ?? ''],
    ['tags', test.tags.join(', ')],
    ...test.evidence.map((e): [string, string] => [
      `evidence:${e.kind}`,
      truncate(compactJson(e.value), PROPERTY_LIMIT),
    ]),
  ];
  return facts
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

function outcomeElement(test: TestRecord): string | undefined {
  const message = test.message ?? '';
  if (test.verdict === 'skip') return element('skipped', { message });
  if (test.verdict === 'pass') return undefined;
  const name = test.verdict === 'fail' ? 'failure' : 'error';
  const body = [message, test.details].filter(Boolean).join('\n\n');
  return element(name, { message, type: test.errorType ?? name }, [xmlText(body)]);
}

function propertiesLines(properties: readonly [string, string][], depth: number): string[] {
  const pad = '  '.repeat(depth);
  const items = properties.map(([name, value]) => `${pad}  ${element('property', { name, value })}`);
  return [`${pad}<properties>`, ...items, `${pad}</properties>`];
}

function openTag(name: string, attrs: Attrs): string {
  return element(name, attrs).replace(/\/>$/, '>');
}

function sumCounts(all: readonly Counts[], durationMs: number): Counts {
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped') => all.reduce((n, c) => n + c[key], 0);
  return {
    tests: sum('tests'),
    failures: sum('failures'),
    errors: sum('errors'),
    skipped: sum('skipped'),
    time: seconds(durationMs),
  };
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * The JUnit schema Jenkins follows types `timestamp` as an ISO 8601 date-time
 * without zone (https://github.com/windyroad/JUnit-Schema/blob/master/JUnit.xsd);
 * the run's time is given in UTC, and results.json keeps the zone.
 */
function junitTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 19);
}
