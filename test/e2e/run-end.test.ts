import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { clientsFor } from '../../helpers/clients.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * How a run ends, as a pipeline sees it: its exit code, what it printed and
 * the report files it leaves. Every run replaces the previous run's reports,
 * whatever stops it; names are printed as data; a crash is "could not tell".
 */
let lab: ReferenceTwin;
const work = mkdtempSync(join(tmpdir(), 'meshcheck-run-end-'));
const example = JSON.parse(readFileSync(join(ROOT, 'targets.example.json'), 'utf8'));

beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

/** A reports directory holding a previous run's passing reports. */
function staleReports(name: string): string {
  const dir = join(work, name);
  const pass = { schema: 'meshcheck/results@1', exitCode: 0, summary: { passed: 138, failed: 0 } };
  const reports = mkdtempSync(`${dir}-reports-`);
  writeFileSync(join(reports, 'results.json'), JSON.stringify(pass));
  writeFileSync(join(reports, 'junit.xml'), '<testsuites tests="138" failures="0" errors="0"/>');
  writeFileSync(join(reports, 'report.html'), '<p>✔ CONFORMS — exit code 0</p>');
  return reports;
}

function readReports(dir: string) {
  return {
    results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')),
    junit: readFileSync(join(dir, 'junit.xml'), 'utf8'),
    html: readFileSync(join(dir, 'report.html'), 'utf8'),
  };
}

function targetsFile(name: string, targets: unknown): string {
  const path = join(work, `${name}.json`);
  writeFileSync(path, typeof targets === 'string' ? targets : JSON.stringify(targets));
  return path;
}

describe('every run replaces its reports, saying why it stopped', () => {
  test('a run that stops at exit 2 (bad targets) leaves no previous pass behind', async ({ expect }) => {
    const reports = staleReports('bad-input');
    const targets = targetsFile('not-json', '{ "region": "us-east-1", ');
    const run = await runValidate(
      ['--targets', targets, '--reports', reports],
      twinEnv(lab.server.endpoint, lab.runner()),
    );
    expect(run.code, run.stderr).toBe(2);
    const { results, junit, html } = readReports(reports);
    expect(results).toMatchObject({ exitCode: 2, run: { endReason: 'bad-input' }, tests: [] });
    expect(results.problems[0].message).toMatch(/^bad input, no check ran: .*not valid JSON/);
    expect(junit).toMatch(/<error message="bad input, no check ran: [^"]*not valid JSON/);
    expect(html).toContain('BAD INPUT');
    expect(html).not.toContain('CONFORMS');
  });
});

/** A NUL, an ESC or a right-to-left override, as themselves. */
function raw(text: string): string[] {
  return ['\u0000', '\u001b', '\u202e'].filter((c) => text.includes(c));
}

describe('names are data, not terminal commands', () => {
  const nasty = 'App\u001b[2J\u001b[31m-VPC\nmeshcheck: exit 0\u0000\u202Egpj.exe';

  test('a name with escapes, a forged line, NUL and a right-to-left override is shown escaped', async ({
    expect,
  }) => {
    // The VPC renamed everywhere the file names it, so the file stays consistent and the name reaches AWS.
    const targets = JSON.stringify(example).replaceAll('"Prod-VPC"', JSON.stringify(nasty));
    const reports = staleReports('names');
    const run = await runValidate(
      ['--targets', targetsFile('nasty', targets), '--reports', reports],
      twinEnv(lab.server.endpoint, lab.runner()),
    );
    expect(run.code, run.stderr).toBe(2);
    const printed = run.stdout + run.stderr;
    // The name is there, visibly escaped…
    expect(printed).toContain('App\\x1b[2J\\x1b[31m-VPC\\nmeshcheck: exit 0\\0\\u{202E}gpj.exe');
    // …and none of its characters reached the terminal or the CI log as themselves.
    expect(raw(printed)).toEqual([]);
    expect(printed).not.toMatch(/^meshcheck: exit 0/m);
    const { junit, html } = readReports(reports);
    const json = readFileSync(join(reports, 'results.json'), 'utf8');
    for (const text of [junit, html, json]) expect(raw(text)).toEqual([]);
    expect(junit).toContain('\\u{202E}gpj.exe');
  });
});

describe('crashes are "could not tell"', () => {
  test('an unexpected exception exits 3, never 2 (which says the targets file is wrong)', async ({
    expect,
  }) => {
    // Reports asked for under a regular file: writing them fails, which no check foresees.
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const run = await runValidate(
      ['--targets', join(ROOT, 'targets.example.json'), '--reports', join(file, 'reports')],
      twinEnv(lab.server.endpoint, lab.runner()),
    );
    expect(run.code, run.stderr.slice(-1500)).toBe(3);
    expect(run.stderr).toMatch(/crashed — could not tell \(exit 3\)/);
  });
});

describe('a run always ends', () => {
  test('a run past its deadline exits 3, naming the checks, waits and last AWS call still pending, and sweeps', {
    timeout: 200_000,
  }, async ({ expect }) => {
    // Every SSM invocation look-up hangs for 45 s: the ping checks wait on them past the deadline
    // (40 s from the end of the targets' resolution).
    const faults = {
      rate: 1,
      kinds: ['latency'],
      services: ['ssm'],
      operations: ['GetCommandInvocation'],
      persistence: 'every-attempt',
      latencyMs: 45_000,
    };
    await fetch(`${lab.server.endpoint}/_twin/faults`, { method: 'PUT', body: JSON.stringify(faults) });
    try {
      const reports = staleReports('deadline');
      const started = Date.now();
      const run = await runValidate(
        [
          ...['--targets', join(ROOT, 'targets.example.json'), '--only', 'network'],
          ...['--reports', reports, '--deadline', '40'],
        ],
        twinEnv(lab.server.endpoint, lab.runner()),
      );
      expect(run.code, run.stderr.slice(-2000)).toBe(3);
      // The deadline, plus the bounded stop and sweep: a pipeline can plan for it.
      expect(Date.now() - started).toBeLessThan(40_000 + 90_000 + 60_000);
      expect(run.stderr).toContain('passed its deadline of 40 s');
      expect(run.stderr).toMatch(/still pending:\n {2}check: .*N\d+ /);
      expect(run.stderr).toMatch(/\n {2}wait: .+\(since [\d.]+ s ago, bound \d+ s\)/);
      // Which call started last depends on how the concurrent rows interleave (a row's DescribeInstances may
      // follow another row's hanging GetCommandInvocation): the line must name a call, with its age.
      expect(run.stderr).toMatch(/\n {2}last AWS call: (ssm|ec2)\.[A-Z]\w+ \([\d.]+ s ago\)/);
      const { results, junit } = readReports(reports);
      expect(results).toMatchObject({ exitCode: 3, run: { endReason: 'deadline' } });
      expect(results.problems[0].details).toMatch(/last AWS call: (ssm|ec2)\.[A-Z]\w+/);
      expect(junit).toContain('passed its deadline of 40 s');
      const functions = await fetchProbeFunctions();
      expect(functions).toEqual([]);
    } finally {
      await fetch(`${lab.server.endpoint}/_twin/faults`, { method: 'PUT', body: '{"rate":0,"kinds":[]}' });
    }
  });
});

/** Probe functions left in the lab account, as its operator sees them. */
async function fetchProbeFunctions(): Promise<string[]> {
  const root = rootCredential('111111111111');
  const { lambda } = clientsFor({
    region: 'us-east-1',
    endpoint: lab.server.endpoint,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
  const listed = await lambda.send(new ListFunctionsCommand({}));
  return (listed.Functions ?? []).map((f) => f.FunctionName!).filter((n) => n.startsWith('meshcheck-'));
}
