import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../../../reports/junit.ts';
import { FAKE_KEY_ID, sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

type Node = Record<string, unknown> & { property?: Node[]; testcase?: Node[]; testsuite?: Node[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  return (parser.parse(xml) as { testsuites: Node }).testsuites;
}

function props(node: Node): [string, string][] {
  const list = ((node.properties as Node | undefined)?.property ?? []) as Node[];
  return list.map((p) => [String(p.name), String(p.value)]);
}

/** The `key: value` facts a testcase carries at the head of its system-out (junit-10.xsd allows it no properties). */
function facts(node: Node): [string, string][] {
  const out = String(node['system-out'] ?? '');
  return out
    .split('\n')
    .map((line) => /^([\w:.-]+): (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]);
}

function caseNamed(root: Node, name: string): Node {
  const cases = (root.testsuite ?? []).flatMap((s) => s.testcase ?? []);
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
}

describe('renderJunit', () => {
  const root = parse(renderJunit(sampleModel()));

  test('root counts match the run; one testsuite per section and file, plus the run suite', () => {
    // junit-10.xsd allows <testsuites> no `skipped` or `timestamp`; each <testsuite> carries them.
    expect([root.tests, root.failures, root.errors, root.skipped, root.timestamp]).toEqual([
      '5',
      '1',
      '1',
      undefined,
      undefined,
    ]);
    expect(root.testsuite!.map((s) => s.name)).toEqual([
      'meshcheck run',
      'N · VPCs talk through the Transit Gateway only where allowed',
      'D · Data is encrypted with the intended keys',
    ]);
    const n = root.testsuite![1]!;
    expect([n.tests, n.failures, n.errors, n.skipped, n.file]).toEqual([
      '3',
      '1',
      '1',
      '0',
      'suites/network.test.ts',
    ]);
  });

  test('the run suite carries run id, target, profile, exit code and API call counts as properties', () => {
    const run = Object.fromEntries(props(root.testsuite![0]!));
    expect(run).toMatchObject({
      runId: 'mc-test-0001',
      target: 'embedded twin',
      profile: 'gate',
      exitCode: '1',
    });
    expect(run['calls:ec2.DescribeVpcs']).toBe('4');
    expect(run['calls:ssm.SendCommand']).toBe('2');
  });

  test('a testcase has classname = file, its full name, and facts for id, section, file, run id and evidence', () => {
    const pass = caseNamed(root, 'N7 prod-app → shared-app over the TGW (ICMP): allow');
    expect(pass.classname).toBe('suites/network.test.ts');
    expect(pass.time).toBe('0.120');
    expect([pass.file, pass.properties]).toEqual([undefined, undefined]);
    const p = facts(pass);
    expect(p).toContainEqual(['id', 'N7']);
    expect(p).toContainEqual(['section', 'N · VPCs talk through the Transit Gateway only where allowed']);
    expect(p).toContainEqual(['file', 'suites/network.test.ts']);
    expect(p).toContainEqual(['runId', 'mc-test-0001']);
    const ping = p.find(([name]) => name === 'evidence:ping')!;
    expect(JSON.parse(ping[1])).toMatchObject({ from: 'prod-app', received: 3 });
    expect(String(pass['system-out'])).toContain('── evidence:ping — 3/3 replies from 10.9.1.10');
    expect(String(pass['system-out'])).toContain('$ ping -c 3 -W 2 10.9.1.10');
  });

  test('fail → <failure>, error → <error>, skip → <skipped message>, pass → none', () => {
    const fail = caseNamed(root, 'N7 prod-app → dev-app over the TGW (ICMP): deny');
    expect(fail.failure).toMatchObject({
      message: 'prod-app → dev-app (10.8.1.10) must stay silent, but it answered.',
      type: 'AssertionError',
    });
    expect(String((fail.failure as Node)['#text'])).toContain('Expected: false');
    const error = caseNamed(root, 'N7 dev-app → shared-app over the TGW (ICMP): allow');
    expect(error.error).toMatchObject({ type: 'CannotTellError' });
    expect(error.failure).toBeUndefined();
    const skip = caseNamed(root, 'D5 peering is in targets');
    expect(skip.skipped).toEqual({ message: 'no peering in targets' });
    const pass = caseNamed(root, 'N7 prod-app → shared-app over the TGW (ICMP): allow');
    expect([pass.failure, pass.error, pass.skipped]).toEqual([undefined, undefined, undefined]);
  });

  test('notes and unknown evidence kinds still appear', () => {
    const probe = caseNamed(root, 'D3 the probe reads the object only through the endpoint');
    expect(String(probe['system-out'])).toContain('note (notice): cold start took 4 s');
    expect(facts(probe).map(([name]) => name)).toContain('evidence:mystery');
    expect(String(probe['system-out'])).toContain('"nested"');
  });

  test('stays valid XML with markup, control characters and terminal colours in the input, and redacts', () => {
    const tests = sampleTests();
    tests[1]!.message = `expected <allow> & "deny" \u0000\u0007\u001b[31mred\u001b[39m key ${FAKE_KEY_ID}`;
    tests[1]!.details = 'line1\nline2 \uD800 lone surrogate';
    const xml = renderJunit(sampleModel({ tests }));
    const fail = caseNamed(parse(xml), 'N7 prod-app → dev-app over the TGW (ICMP): deny');
    // Control characters and escapes are shown, not executed or dropped: names are data.
    expect((fail.failure as Node).message).toBe(
      'expected <allow> & "deny" \\0\\x07\\x1b[31mred\\x1b[39m key AKIA[REDACTED]',
    );
    expect(xml).not.toContain(FAKE_KEY_ID);
  });

  test('long evidence is cut in the facts, saying where the rest is', () => {
    const tests = sampleTests();
    tests[0]!.evidence = [{ kind: 'config', summary: 'big', value: { blob: 'x'.repeat(10_000) } }];
    const p = facts(caseNamed(parse(renderJunit(sampleModel({ tests }))), tests[0]!.name));
    const value = p.find(([name]) => name === 'evidence:config')![1];
    expect(value.length).toBeLessThan(4_200);
    expect(value).toMatch(/truncated: \d+ more characters; full value in results.json/);
  });

  test('run problems appear as errored testcases of the run suite', () => {
    const xml = renderJunit(sampleModel({ problems: [{ message: 'unhandled error: boom' }] }));
    const run = parse(xml).testsuite![0]!;
    expect(run.errors).toBe('1');
    expect(run.testcase![0]!.error).toMatchObject({ message: 'unhandled error: boom' });
  });

  test('a run with failures, errors, skips and run problems validates against junit-10.xsd (Jenkins xunit)', async () => {
    const xml = renderJunit(sampleModel({ problems: [{ message: 'interrupted by SIGINT' }] }));
    const result = await validateXML({
      xml: { fileName: 'junit.xml', contents: xml },
      schema: {
        fileName: 'junit-10.xsd',
        contents: readFileSync('test/fixtures/junit/junit-10.xsd', 'utf8'),
      },
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(xml).toMatch(/<failure /);
    expect(xml).toMatch(/<error /);
    expect(xml).toMatch(/<skipped /);
  });
});
