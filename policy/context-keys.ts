import type { Lookup } from './variables.ts';

/** A value of a request context key as callers supply it. */
export type ContextValue =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | null
  | undefined;

/** Context keys by name (`aws:SourceIp`, `kms:ViaService`, `s3:prefix`). */
export type ContextKeys = Record<string, ContextValue>;

interface Entry {
  values: string[];
  /** Supplied as a list (a multivalued key such as `aws:TagKeys`). */
  multi: boolean;
}

/**
 * The request context as the evaluator reads it: key names are
 * case-insensitive and every value is text ("Condition element": "Condition
 * key names are not case-sensitive"), booleans become `true`/`false`.
 */
export class RequestKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(keys: ContextKeys = {}) {
    for (const [name, value] of Object.entries(keys)) {
      if (value === undefined || value === null) continue;
      const multi = Array.isArray(value);
      const values = (multi ? (value as readonly unknown[]) : [value]).map(String);
      this.entries.set(name.toLowerCase(), { values, multi });
    }
  }

  get(key: string): Entry | undefined {
    return this.entries.get(key.toLowerCase());
  }

  /** For policy variables: single-valued keys only. */
  readonly lookup: Lookup = (key) => {
    const entry = this.get(key);
    return entry && !entry.multi ? entry.values : undefined;
  };
}
