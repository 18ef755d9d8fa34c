import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import type { TableState } from './index.ts';
import type { Item } from './values.ts';

/**
 * Read consistency: "When you read data from a DynamoDB table, the response
 * might not reflect the results of a recently completed write operation …
 * Consistency across all copies of data is usually reached within a second"
 * (Developer Guide, "DynamoDB read consistency"). Strongly consistent reads
 * (ConsistentRead) and conditions see the latest write; an eventually
 * consistent read within the profile's dynamodbConsistencyLagMs of a write
 * sees the item as it was before that write.
 */

/** Stores (or, with `undefined`, deletes) an item, remembering what eventually consistent readers still see. */
export function writeItem(twin: Twin, table: TableState, key: string, item: Item | undefined): void {
  const now = twin.clock.now();
  const lag = delay(twin.profile, 'dynamodbConsistencyLagMs');
  if (lag > 0) {
    const pending = table.stale.get(key);
    // A reader may still see the oldest version not yet replaced everywhere.
    const before = pending && pending.until > now ? pending.before : table.items.get(key);
    table.stale.set(key, { before, until: now + lag });
  }
  if (item) table.items.set(key, item);
  else table.items.delete(key);
}

/** The items a read sees: the latest for a strongly consistent read, else what every copy has by now. */
export function readView(twin: Twin, table: TableState, consistent: boolean | undefined): Map<string, Item> {
  const now = twin.clock.now();
  for (const [key, s] of table.stale) if (s.until <= now) table.stale.delete(key);
  if (consistent || table.stale.size === 0) return table.items;
  const view = new Map(table.items);
  for (const [key, s] of table.stale) {
    if (s.before) view.set(key, s.before);
    else view.delete(key);
  }
  return view;
}
