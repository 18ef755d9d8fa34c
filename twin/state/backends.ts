/**
 * State keyed by account, then region, as moto keys its backends. A model
 * instance is made on first use, so an account or region nobody touched
 * costs nothing.
 */
export class Backends<T> {
  private readonly byKey = new Map<string, T>();

  constructor(private readonly make: (accountId: string, region: string) => T) {}

  get(accountId: string, region: string): T {
    const key = `${accountId}/${region}`;
    let model = this.byKey.get(key);
    if (!model) {
      model = this.make(accountId, region);
      this.byKey.set(key, model);
    }
    return model;
  }

  /** Every model made so far, with where it lives; for cross-account views such as reachability. */
  *entries(): IterableIterator<[{ accountId: string; region: string }, T]> {
    for (const [key, model] of this.byKey) {
      const [accountId, region] = key.split('/') as [string, string];
      yield [{ accountId, region }, model];
    }
  }

  inRegion(region: string): T[] {
    return [...this.entries()].filter(([where]) => where.region === region).map(([, m]) => m);
  }
}
