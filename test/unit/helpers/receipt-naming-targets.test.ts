import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { targetsSchema } from '../../../helpers/targets/schema.ts';

/** How targets say receipts are found: one way, and a search needs someone who may read receipts. */
const example = JSON.parse(readFileSync(new URL('../../../targets.example.json', import.meta.url), 'utf8'));
const withDp = (over: Record<string, unknown>, drop: string[] = []) => {
  const t = structuredClone(example);
  for (const k of drop) delete t.dataProtection[k];
  Object.assign(t.dataProtection, over);
  return targetsSchema.safeParse(t);
};
const problems = (r: ReturnType<typeof withDp>) =>
  r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('dataProtection receipt naming in targets', () => {
  test('a template may use what the suite knows when it publishes, and must tell orders apart', ({
    expect,
  }) => {
    expect(problems(withDp({ receiptKeyTemplate: 'r/{fruit}/{reference}.txt' }))).toEqual([]);
    expect(problems(withDp({ receiptKeyTemplate: 'r/{fruit}.txt' }))).toEqual([
      'dataProtection.receiptKeyTemplate: a key naming {messageId} or {reference}, so each order has its own',
    ]);
    expect(problems(withDp({ receiptKeyTemplate: 'r/{queueMessageId}-{messageId}.txt' }))).toEqual([
      'dataProtection.receiptKeyTemplate: only {messageId}, {reference} and {fruit}',
    ]);
  });

  test('search is the other way, read as a reader', ({ expect }) => {
    expect(problems(withDp({ receiptSearchPrefix: 'receipts/' }, ['receiptKeyTemplate']))).toEqual([]);
    expect(problems(withDp({ receiptSearchPrefix: 'receipts/' }))).toEqual([
      'dataProtection.receiptSearchPrefix: name receipts by receiptKeyTemplate or find them by receiptSearchPrefix, not both',
    ]);
    expect(problems(withDp({ receiptSearchPrefix: '', readers: [] }, ['receiptKeyTemplate']))).toEqual([
      'dataProtection.receiptSearchPrefix: receipts found by search are read as a reader: name one in dataProtection.readers',
    ]);
  });
});
