import type { KeyMetadata } from '@aws-sdk/client-kms';
import { keyState } from '../model/keys.ts';
import type { KeyRecord } from '../model/state.ts';

/** KeyMetadata as DescribeKey and CreateKey return it for a symmetric encryption key. */
export function keyMetadata(key: KeyRecord): KeyMetadata {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: keyState(key) === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: keyState(key),
    ...(key.deletionDate !== undefined && { DeletionDate: new Date(key.deletionDate) }),
    Origin: 'AWS_KMS',
    KeyManager: key.manager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}
