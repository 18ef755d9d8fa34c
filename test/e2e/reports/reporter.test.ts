/**
 * Meta-test, as vitest's own repo does: run vitest with the meshcheck
 * reporter on fixture tests that pass, fail, error and skip
 * (test/fixtures/reports/run), then read what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readResults } from '../../../reports/index.ts';
import type { RunModel } from '../../../reports/model.ts';
import { FAKE_KEY_ID, FAKE_SECRET } from '../../fixtures/reports/run/evidence.ts';

const run = promisify(execFile);
const ROOT = 'test/fixtures/reports/run';
const work = mkdtempSync(join(tmpdir(), 'meshcheck-reporter-e2e-'));

interface Outputs {
  junit: string;
  html: string;
  results: RunModel;
}

/** Runs the fixture project (optionally only some files) and returns the three reports. */
async function runFixtures(name: string, files: string[] = []): Promise<Outputs> {
  const out = join(work, name);
  const env = {
    ...process.env,
    CI: '',
    FIXTURE_REPORTS_OUT: out,
    FIXTURE_RUN_ID: `mc-e2e-${name}`,
  };
  const args = ['node_modules/vitest/vitest.mjs', 'run', '--root', ROOT, ...files];
  // vitest exits non-zero when tests fail; the reports are what is under test.
  await run(process.execPath, args, { env, timeout: 60_000 }).catch(() => undefined);
  return {
    junit: readFileSync(join(out, 'junit.xml'), 'utf8'),
    html: readFileSync(join(out, 'report.html'), 'utf8'),
    results: readResults(join(out, 'results.json')),
  };
}

type Node = Record<string, unknown> & { testsuite?: Node[]; testcase?: Node[]; property?: Node[] };
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function junitCases(xml: string): Node[] {
  const root = (parser.parse(xml) as { testsuites: Node }).testsuites;
  return (root.testsuite ?? []).flatMap((s) => s.testcase ?? []);
}

function propsOf(node: Node): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of ((node.properties as Node | undefined)?.property ?? []) as Node[]) {
    const name = String(p.name);
    out[name] = [...(out[name] ?? []), String(p.value)];
  }
  return out;
}

/** The `key: value` facts at the head of a testcase's system-out (junit-10.xsd allows a testcase no properties). */
function factsOf(node: Node): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of String(node['system-out'] ?? '').split('\n')) {
    const m = /^([\w:.-]+): (.*)$/.exec(line);
    if (m) out[m[1]!] = [...(out[m[1]!] ?? []), m[2]!];
  }
  return out;
}

let all: Outputs;
let passOnly: Outputs;
let passAndError: Outputs;

beforeAll(async () => {
  all = await runFixtures('all');
  passOnly = await runFixtures('pass-only', ['pass.test.ts']);
  passAndError = await runFixtures('pass-and-error', ['pass.test.ts', 'error.test.ts']);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the reporter on a real vitest run', () => {
  test('results.json counts each of the four states and keeps them apart', () => {
    const { summary, tests } = all.results;
    expect(summary).toMatchObject({ passed: 2, failed: 2, errored: 3, skipped: 2, total: 9 });
    const verdicts = Object.fromEntries(tests.map((t) => [t.name, t.verdict]));
    expect(verdicts).toEqual({
      'N7 prod-app → shared-app over the TGW (ICMP): allow': 'pass',
      'D1 the probe reads the object': 'pass',
      'N7 prod-app → dev-app over the TGW (ICMP): deny': 'fail',
      'N1 prod VPC exists': 'fail',
      'E1 the S3 endpoint policy': 'error',
      'E2 a helper bug': 'error',
      'O1 flow logs record the denied ping': 'error',
      'N12 peering is active': 'skip',
      'N14 skipped in code': 'skip',
    });
  });

  test('each record has its id, section, file, message and evidence', () => {
    const byName = new Map(all.results.tests.map((t) => [t.name, t]));
    const fail = byName.get('N7 prod-app → dev-app over the TGW (ICMP): deny')!;
    // The id and row are the task meta the test carries, not words parsed from its name.
    expect(fail).toMatchObject({
      id: 'N7',
      row: 'prod-app→dev-app:icmp',
      file: 'fail.test.ts',
      errorType: 'AssertionError',
    });
    expect(fail.section).toBe('N · VPCs talk through the Transit Gateway only where allowed');
    expect(fail.message).toBe(
      'prod-app → dev-app must stay silent: expected true to be false // Object.is equality',
    );
    expect(fail.evidence.map((e) => e.kind)).toEqual(['ping', 'reachability']);
    expect(fail.evidence[1]!.value).toEqual({
      from: 'prod-app',
      to: 'dev-app',
      expect: 'deny',
      observed: 'answered',
      protocol: 'ICMP',
    });
    expect(byName.get('E1 the S3 endpoint policy')!.message).toBe(
      'CannotTellError: could not read the endpoint policy — caused by AccessDenied: User is not authorized to perform ec2:DescribeVpcEndpoints',
    );
    expect(byName.get('O1 flow logs record the denied ping')!.message).toMatch(
      /^not run: a hook of "O · Flow logs are delivered" threw/,
    );
    expect(byName.get('N12 peering is active')!.message).toBe('no peering in targets');
    expect(byName.get('D1 the probe reads the object')!.evidence.map((e) => e.kind)).toEqual([
      'probe',
      'receipt',
      'mystery-kind',
    ]);
  });

  test('API call counts from every worker are summed', () => {
    expect(all.results.calls).toEqual({
      'ec2.DescribeInstances': 3,
      'ssm.SendCommand': 1,
      'sts.AssumeRole': 1,
    });
    expect(passOnly.results.calls).toEqual({
      'ec2.DescribeInstances': 1,
      'ssm.SendCommand': 1,
      'sts.AssumeRole': 1,
    });
  });

  test('run metadata comes from the environment', () => {
    expect(all.results.meta).toMatchObject({
      runId: 'mc-e2e-all',
      target: 'embedded twin',
      profile: 'gate',
      endReason: 'failed',
    });
  });

  test('exit code: 1 when anything fails, 3 when nothing fails but something errors, 0 with only passes and skips', () => {
    expect(all.results.exitCode).toBe(1);
    expect(passAndError.results.exitCode).toBe(3);
    expect(passOnly.results.exitCode).toBe(0);
    expect(passOnly.results.summary).toMatchObject({ passed: 2, skipped: 2, failed: 0, errored: 0 });
  });

  test('junit.xml is valid and maps the states to failure, error and skipped', () => {
    expect(XMLValidator.validate(all.junit)).toBe(true);
    const cases = new Map(junitCases(all.junit).map((c) => [String(c.name), c]));
    const fail = cases.get('N7 prod-app → dev-app over the TGW (ICMP): deny')!;
    expect(fail.classname).toBe('fail.test.ts');
    expect(fail.failure).toMatchObject({
      type: 'AssertionError',
      message: expect.stringContaining('expected true to be false'),
    });
    expect(String((fail.failure as Node)['#text'])).toContain('Expected: false\nSeen:     true');
    expect(cases.get('N1 prod VPC exists')!.failure).toMatchObject({ type: 'LabDeviationError' });
    expect(cases.get('E1 the S3 endpoint policy')!.error).toMatchObject({ type: 'CannotTellError' });
    expect(cases.get('E2 a helper bug')!.error).toMatchObject({ type: 'TypeError' });
    expect(cases.get('N12 peering is active')!.skipped).toEqual({ message: 'no peering in targets' });
    expect(cases.get('D1 the probe reads the object')!.failure).toBeUndefined();
  });

  test('junit.xml carries id, section, file, run id and evidence in each case, and call counts on the run suite', () => {
    const cases = new Map(junitCases(all.junit).map((c) => [String(c.name), c]));
    const props = factsOf(cases.get('N7 prod-app → shared-app over the TGW (ICMP): allow')!);
    expect(props).toMatchObject({
      id: ['N7'],
      row: ['prod-app→shared-app:icmp'],
      section: ['N · VPCs talk through the Transit Gateway only where allowed'],
      file: ['pass.test.ts'],
      runId: ['mc-e2e-all'],
    });
    expect(JSON.parse(props['evidence:reachability']![0]!)).toMatchObject({
      expect: 'allow',
      observed: 'answered',
    });
    expect(factsOf(cases.get('D1 the probe reads the object')!)['evidence:mystery-kind']).toEqual([
      '{"nested":{"answer":42}}',
    ]);
    const root = (parser.parse(all.junit) as { testsuites: Node }).testsuites;
    expect(propsOf(root.testsuite![0]!)['calls:ec2.DescribeInstances']).toEqual(['3']);
    expect([root.tests, root.failures, root.errors]).toEqual(['9', '2', '3']);
  });

  test('report.html shows the counts, the verdicts in words and the reachability grid cells', () => {
    const { html } = all;
    expect(html).toContain('✘ DOES NOT CONFORM — exit code 1');
    expect(html).toContain('<li class="v-error">⚠ 3 errors</li>');
    const row = html.slice(html.indexOf('<th scope="row">prod-app</th>')).split('</tr>')[0]!;
    expect(row).toMatch(/deny \/ answered<\/a> <span class="mark v-fail">✘ not as intended/);
    expect(row).toMatch(/allow \/ answered<\/a> <span class="mark v-pass">✔ as intended/);
    expect(html).toMatch(/<span class="badge v-skip">⊘ SKIP<\/span> <span class="id">N12<\/span>/);
    expect(html).toContain('<table class="probe">');
    expect(html).toContain('&quot;answer&quot;: 42');
    expect(passAndError.html).toContain('⚠ COULD NOT TELL — exit code 3');
  });

  test('the fake access key and secret are redacted from all three files', () => {
    for (const text of [all.junit, all.html, JSON.stringify(all.results)]) {
      expect(text).not.toContain(FAKE_KEY_ID);
      expect(text).not.toContain(FAKE_SECRET);
    }
    const d1 = all.results.tests.find((t) => t.id === 'D1')!;
    expect(d1.notes).toEqual([{ type: 'notice', message: 'assumed the probe role as AKIA[REDACTED]' }]);
    expect(d1.evidence[1]!.value).toMatchObject({
      AccessKeyId: 'AKIA[REDACTED]',
      SecretAccessKey: '[REDACTED]',
    });
    expect(all.html).toContain('Authorization: [REDACTED]');
  });
});
