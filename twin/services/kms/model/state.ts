/** A tag as KMS spells it (`TagKey` / `TagValue`, not `Key` / `Value`). */
export interface KmsTag {
  TagKey: string;
  TagValue: string;
}

/**
 * One KMS key. Its state is derived when read (`keyState`): a scheduled
 * deletion is a date, and a key past that date is gone.
 */
export interface KeyRecord {
  /** A UUID, as AWS's key ids are. */
  keyId: string;
  /** `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` */
  arn: string;
  accountId: string;
  region: string;
  createdAt: number;
  description: string;
  /** CUSTOMER for keys callers create; AWS for the `aws/<service>` keys made on first use. */
  manager: 'CUSTOMER' | 'AWS';
  enabled: boolean;
  /** Set while the key is PendingDeletion; the key is deleted once the clock passes it. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  /** Automatic rotation of the key material, when enabled (EnableKeyRotation). */
  rotation?: { periodDays: number; enabledAt: number };
  /** The key policy's text, as given (GetKeyPolicy returns it unchanged). */
  policy: string;
  /** 256-bit AES key material; never leaves the model. */
  material: Buffer;
  tags: KmsTag[];
}

export interface AliasRecord {
  /** `alias/name` */
  name: string;
  /** `arn:aws:kms:REGION:ACCOUNT:alias/name` */
  arn: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export type KeyStateName = 'Enabled' | 'Disabled' | 'PendingDeletion';
