import { randomBytes } from 'node:crypto';
import { disabled, invalidState, pendingDeletion, validation } from '../errors.ts';
import type { KmsModel } from './index.ts';
import { defaultKeyPolicy } from './policies.ts';
import type { KeyRecord, KeyStateName, KmsTag } from './state.ts';

const DAY_MS = 86_400_000;

export interface NewKey {
  /** A key id reserved beforehand (CreateKey checks the policy against the key's ARN first). */
  keyId?: string;
  description?: string;
  policy?: string;
  tags?: KmsTag[];
  manager?: 'CUSTOMER' | 'AWS';
}

/** Creates a symmetric encryption key with fresh material; without a policy it gets the default one. */
export function createKey(model: KmsModel, spec: NewKey): KeyRecord {
  const keyId = spec.keyId ?? model.twin.ids.uuid();
  const key: KeyRecord = {
    keyId,
    arn: `arn:aws:kms:${model.region}:${model.accountId}:key/${keyId}`,
    accountId: model.accountId,
    region: model.region,
    createdAt: model.now,
    description: spec.description ?? '',
    manager: spec.manager ?? 'CUSTOMER',
    enabled: true,
    policy: spec.policy ?? defaultKeyPolicy(model.accountId),
    material: randomBytes(32),
    tags: spec.tags ?? [],
  };
  model.addKey(key);
  return key;
}

export function keyState(key: KeyRecord): KeyStateName {
  if (key.deletionDate !== undefined) return 'PendingDeletion';
  return key.enabled ? 'Enabled' : 'Disabled';
}

/**
 * Refuses a cryptographic operation on a key that is not Enabled ("Key
 * states of AWS KMS keys": Disabled → DisabledException, PendingDeletion →
 * KMSInvalidStateException).
 */
export function requireUsable(key: KeyRecord): void {
  const state = keyState(key);
  if (state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (state === 'Disabled') throw disabled(key.arn);
}

/** Management operations other than CancelKeyDeletion are refused while a key waits for deletion. */
export function requireNotPendingDeletion(key: KeyRecord): void {
  if (keyState(key) === 'PendingDeletion') throw pendingDeletion(key.arn);
}

export function setEnabled(key: KeyRecord, enabled: boolean): void {
  requireNotPendingDeletion(key);
  key.enabled = enabled;
}

/**
 * ScheduleKeyDeletion: "a waiting period … from 7 to 30 days. The default
 * value is 30 days"; the key state becomes PendingDeletion and the key is
 * deleted at DeletionDate (API_ScheduleKeyDeletion).
 */
export function scheduleDeletion(model: KmsModel, key: KeyRecord, days = 30): number {
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw validation(
      `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`,
    );
  }
  requireNotPendingDeletion(key);
  key.deletionDate = model.now + days * DAY_MS;
  key.pendingWindowInDays = days;
  key.enabled = false;
  return key.deletionDate;
}

/** CancelKeyDeletion leaves the key Disabled ("the key state is Disabled", API_CancelKeyDeletion). */
export function cancelDeletion(key: KeyRecord): void {
  if (keyState(key) !== 'PendingDeletion') throw invalidState(`${key.arn} is not pending deletion.`);
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  key.enabled = false;
}
