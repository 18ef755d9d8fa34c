import { describe, test } from 'vitest';
import { AREAS, areasOf } from '../../e2e/support/conformance.ts';

describe('the areas the drift matrix runs for a drift', () => {
  test('are those of its declared checks, in suite order, by the id’s letter', ({ expect }) => {
    expect(areasOf(['D5 the receipt bucket', 'N13 prod-app → dev-app (ICMP): deny'])).toEqual([
      'network',
      'data-protection',
    ]);
    expect(areasOf(['E6 probe in prod: S3', 'E7 probe in prod'])).toEqual(['endpoints']);
    expect(areasOf([{ id: 'N13' }])).toEqual(['network']);
  });

  test('are every area when an id belongs to none it knows, or nothing is declared', ({ expect }) => {
    expect(areasOf(['N1 Prod-VPC is', 'O3 the flow logs'])).toEqual([...AREAS]);
    expect(areasOf(['n1 lower case'])).toEqual([...AREAS]);
    expect(areasOf([])).toEqual([...AREAS]);
  });
});
