import { describe, expect, test } from 'vitest';
import { exitCodeOf, sectionsOf, summarize } from '../../../reports/model.ts';
import { sampleTests } from '../../fixtures/reports/model.ts';

describe('summary and exit code', () => {
  test('counts each verdict', () => {
    expect(summarize(sampleTests(), 1234.4)).toEqual({
      passed: 2,
      failed: 1,
      errored: 1,
      skipped: 1,
      total: 5,
      durationMs: 1234,
    });
  });

  test.for([
    [{ failed: 0, errored: 0 }, 0, 0],
    [{ failed: 1, errored: 0 }, 0, 1],
    [{ failed: 0, errored: 2 }, 0, 3],
    [{ failed: 1, errored: 2 }, 0, 1],
    [{ failed: 0, errored: 0 }, 1, 3],
  ] as const)('%o with %i run problems → exit %i', ([summary, problems, code]) => {
    expect(exitCodeOf(summary, problems)).toBe(code);
  });
});

describe('sections', () => {
  test('groups tests by section in order of first appearance', () => {
    const sections = sectionsOf(sampleTests());
    expect(sections.map((s) => [s.name.split(' ')[0], s.tests.length])).toEqual([
      ['N', 3],
      ['D', 2],
    ]);
  });

  test('puts sections in checklist order, as CHECKLIST.md reads, not in the order vitest hands files over', () => {
    const [first] = sampleTests();
    const tests = [
      'S · functions',
      'D · receipts',
      'P · provider',
      'N · layout',
      'O · trail',
      'E · probe',
      'D · keys',
    ].map((section) => ({ ...first!, section }));
    expect(sectionsOf(tests).map((s) => s.name)).toEqual([
      'N · layout',
      'E · probe',
      'D · receipts',
      'D · keys',
      'O · trail',
      'S · functions',
      'P · provider',
    ]);
  });
});
