import { describe, expect, test, vi } from 'vitest';
import { attachEvidence } from '../../../helpers/evidence.ts';

describe('attachEvidence', () => {
  test('the summary is the annotation, the full value its JSON body under evidence:<kind>', async () => {
    const annotate = vi.fn(async () => undefined);
    const value = { received: 3, transmitted: 3, host: 'web' };
    await attachEvidence(annotate as never, 'ping', '3/3 replies', value);
    expect(annotate).toHaveBeenCalledTimes(1);
    expect(annotate).toHaveBeenCalledWith('3/3 replies', 'evidence:ping', {
      body: JSON.stringify(value),
      contentType: 'application/json',
    });
  });

  test('it waits for the annotation to be recorded', async () => {
    let recorded = false;
    const annotate = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      recorded = true;
    });
    await attachEvidence(annotate as never, 'k', 's', null);
    expect(recorded).toBe(true);
  });
});
