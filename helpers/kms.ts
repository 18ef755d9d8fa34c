import { DescribeKeyCommand, GetKeyPolicyCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import type { AwsClients } from './clients.ts';
import { classify, LabDeviationError, reading } from './errors.ts';

/** A key's metadata by id, ARN or alias; absent is a deviation of the lab. */
export async function getKey({ kms }: AwsClients, keyId: string): Promise<KeyMetadata> {
  try {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    return KeyMetadata!;
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no KMS key ${keyId}`);
    return reading(`describe key ${keyId}`, () => Promise.reject(error));
  }
}

export async function getKeyPolicy({ kms }: AwsClients, keyArn: string): Promise<string> {
  const { Policy } = await reading(`read the key policy of ${keyArn}`, () =>
    kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })),
  );
  return Policy ?? '';
}
