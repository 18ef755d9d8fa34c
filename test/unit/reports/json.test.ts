import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RESULTS_SCHEMA, readResults, renderJson } from '../../../reports/json.ts';
import { FAKE_KEY_ID, FAKE_SECRET, sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshcheck-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('results.json', () => {
  test('carries run metadata, summary, exit code, each test with its evidence, and calls', () => {
    const doc = JSON.parse(renderJson(sampleModel()));
    expect(doc.schema).toBe(RESULTS_SCHEMA);
    expect(doc.run).toMatchObject({ runId: 'mc-test-0001', target: 'embedded twin', profile: 'gate' });
    expect(doc.summary).toEqual({
      passed: 2,
      failed: 1,
      errored: 1,
      skipped: 1,
      total: 5,
      durationMs: 60_000,
    });
    expect(doc.exitCode).toBe(1);
    expect(doc.tests[1]).toMatchObject({
      id: 'N7',
      section: expect.stringMatching(/^N · /),
      file: 'suites/network.test.ts',
      verdict: 'fail',
    });
    expect(doc.tests[1].message).toMatch(/must stay silent/);
    expect(doc.tests[0].evidence[0]).toMatchObject({
      kind: 'ping',
      summary: '3/3 replies from 10.9.1.10',
      value: { received: 3 },
    });
    expect(doc.tests[0].message).toBeUndefined();
    expect(doc.calls).toEqual({ 'ec2.DescribeVpcs': 4, 'ssm.SendCommand': 2 });
  });

  test('readResults gives back the model it was written from', () => {
    const path = join(dir, 'results.json');
    writeFileSync(path, renderJson(sampleModel()));
    expect(readResults(path)).toEqual(JSON.parse(JSON.stringify(sampleModel())));
  });

  test('readResults names the file and the field when it is not a results file', () => {
    const path = join(dir, 'other.json');
    writeFileSync(path, JSON.stringify({ schema: RESULTS_SCHEMA, exitCode: 2 }));
    expect(() => readResults(path)).toThrow(/other\.json is not a meshcheck results file: run/);
  });

  test('secrets that slipped into the model are still redacted in the file', () => {
    const tests = sampleTests();
    tests[0]!.evidence.push({
      kind: 'config',
      summary: 'creds',
      value: `${FAKE_KEY_ID} aws_secret_access_key=${FAKE_SECRET}`,
    });
    const text = renderJson(sampleModel({ tests }));
    expect(text).not.toContain(FAKE_KEY_ID);
    expect(text).not.toContain(FAKE_SECRET);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});
