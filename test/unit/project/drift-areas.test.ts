import { describe, test } from 'vitest';
import { AREAS, areasOf } from '../../e2e/support/conformance.ts';

describe('the areas the drift matrix runs for a drift', () => {
  test('are those of its declared checks, in suite order, by the id’s letter', ({ expect }) => {
    expect(areasOf([{ id: 'D5' }, { id: 'N13', row: 'prod-app→dev-app:icmp' }])).toEqual([
      'network',
      'data-protection',
    ]);
    expect(areasOf([{ id: 'E6', row: 'prod' }, { id: 'E7' }])).toEqual(['endpoints']);
    expect(areasOf([{ id: 'N13' }])).toEqual(['network']);
  });

  test('are every area when an id belongs to none it knows, or nothing is declared', ({ expect }) => {
    expect(areasOf([{ id: 'N1' }, { id: 'Q3' }])).toEqual([...AREAS]);
    expect(areasOf([{ id: 'n1' }])).toEqual([...AREAS]);
    expect(areasOf([{ id: 'N13 prod-app → dev-app (' }])).toEqual([...AREAS]);
    expect(areasOf([])).toEqual([...AREAS]);
  });
});
