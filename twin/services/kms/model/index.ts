import type { Twin } from '../../../twin.ts';
import type { AliasRecord, KeyRecord } from './state.ts';

/**
 * KMS state of one account in one region: keys by key id and aliases by
 * name. Keys whose scheduled deletion date has passed are dropped (with
 * their aliases) the next time anything reads them.
 */
export class KmsModel {
  private readonly keyMap = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  get now(): number {
    return this.twin.clock.now();
  }

  /** The live key with this id (deleted keys are gone). */
  key(keyId: string): KeyRecord | undefined {
    this.purgeDeleted();
    return this.keyMap.get(keyId);
  }

  keys(): KeyRecord[] {
    this.purgeDeleted();
    return [...this.keyMap.values()];
  }

  addKey(key: KeyRecord): void {
    this.keyMap.set(key.keyId, key);
  }

  private purgeDeleted(): void {
    const now = this.now;
    for (const [id, key] of this.keyMap) {
      if (key.deletionDate === undefined || now < key.deletionDate) continue;
      this.keyMap.delete(id);
      for (const [name, alias] of this.aliases) if (alias.targetKeyId === id) this.aliases.delete(name);
    }
  }
}
