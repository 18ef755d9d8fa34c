import type { TestContext } from 'vitest';

/**
 * Attaches evidence to the running test: a one-line summary a person reads,
 * and the full value as JSON that reports/ renders per kind and carries into
 * JUnit properties. Evidence is attached before asserting, so a failing
 * check shows what it saw.
 *
 * @example
 *   await attachEvidence(annotate, 'ping', `${ping.received}/${ping.transmitted} replies`, ping);
 */
export async function attachEvidence(
  annotate: TestContext['annotate'],
  kind: string,
  summary: string,
  value: unknown,
): Promise<void> {
  await annotate(summary, `evidence:${kind}`, {
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
}
