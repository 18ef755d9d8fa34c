import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { ROOT, runValidate, type ValidateRun } from './support/validate.ts';

/**
 * A real run, as a pipeline's gate makes it: `meshcheck validate --mode
 * gate` on the embedded twin. Its junit.xml must be accepted by the
 * strictest schema dashboards apply (the Jenkins xunit plugin's
 * junit-10.xsd), and the checks the gate leaves out must say so.
 */
const SCHEMA = join(ROOT, 'test/fixtures/junit/junit-10.xsd');
let run: ValidateRun;
let junit: string;
let html: string;

beforeAll(async () => {
  run = await runValidate(['--mode', 'gate'], {});
  junit = readFileSync(join(run.reportsDir, 'junit.xml'), 'utf8');
  html = readFileSync(join(run.reportsDir, 'report.html'), 'utf8');
}, 240_000);

type Node = Record<string, unknown> & { testsuite?: Node[]; testcase?: Node[] };
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

describe('the gate mode, end to end', () => {
  test('the gate run conforms: leaving the delivery checks out does not change the exit code', ({
    expect,
  }) => {
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(run.results?.exitCode).toBe(0);
    expect(run.results?.summary).toMatchObject({ failed: 0, errored: 0 });
  });

  test('junit.xml of the real run validates against junit-10.xsd', async ({ expect }) => {
    const result = await validateXML({
      xml: { fileName: 'junit.xml', contents: junit },
      schema: { fileName: 'junit-10.xsd', contents: readFileSync(SCHEMA, 'utf8') },
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the delivery checks (D10, D11) are skipped with the reason, in JUnit and in HTML', ({ expect }) => {
    const root = (parser.parse(junit) as { testsuites: Node }).testsuites;
    const cases = (root.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    const delivery = cases.filter((c) => /^D1[01] /.test(String(c.name)));
    expect(delivery.map((c) => String(c.name).split(' ')[0])).toEqual(['D10', 'D11']);
    for (const c of delivery) {
      expect(c.skipped).toEqual({
        message:
          'left out by the gate mode (--mode gate): tagged delivery (waits for delivered evidence (CloudTrail))',
      });
      expect([c.failure, c.error]).toEqual([undefined, undefined]);
    }
    for (const id of ['D10', 'D11']) {
      const at = html.indexOf(`<span class="id">${id}</span>`);
      const item = html.slice(html.lastIndexOf('<details class="item', at), html.indexOf('</details>', at));
      expect(item).toContain('class="item v-skip"');
      expect(item).toContain('left out by the gate mode (--mode gate): tagged delivery');
    }
  });
});
