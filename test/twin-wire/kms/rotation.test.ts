import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { doc, type Keys, roleSession } from './session.ts';

/**
 * Automatic key rotation, authorized by the key policy as KMS authorizes it
 * (kms:EnableKeyRotation, kms:DisableKeyRotation, kms:GetKeyRotationStatus):
 * the key's administrator, named only in the key policy and holding no IAM
 * policy, may turn rotation on; a user of the key may not.
 */
let twin: TestTwin;
let a: string;
let root: KMSClient;
let admin: { keys: Keys; roleArn: string };
let user: { keys: Keys; roleArn: string };
let keyArn: string;
const DAY = 86_400_000;

const as = (keys: Keys) => new KMSClient({ ...twin.clientConfig(), credentials: keys });

async function failure(p: Promise<unknown>) {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  expect(e, 'the call should have failed').toBeDefined();
  return e;
}

/** The key policy the console writes: root delegation, an administrator, a user (the roles have no IAM policy). */
function keyPolicy(): string {
  return doc(
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: admin.roleArn },
      Action: [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
        'kms:Get*',
        'kms:Delete*',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
      ],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: user.roleArn },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
    },
  );
}

async function newKey(): Promise<string> {
  const { KeyMetadata } = await root.send(new CreateKeyCommand({ Policy: keyPolicy() }));
  return KeyMetadata!.Arn!;
}

beforeAll(async () => {
  twin = await startTestTwin();
  a = twin.server.twin.accounts[0]!;
  root = new KMSClient(twin.clientConfig());
  admin = await roleSession(twin, a, 'key-admin');
  user = await roleSession(twin, a, 'key-user');
  keyArn = await newKey();
});
afterAll(() => twin.close());

describe('rotation through the SDK', () => {
  test("the key's administrator enables rotation with a period; the status shows it and the next date", async () => {
    const kms = as(admin.keys);
    const before = Date.now();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: 180 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(status).toMatchObject({ KeyId: keyArn, KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    const next = status.NextRotationDate!.getTime();
    expect(next).toBeGreaterThanOrEqual(before + 180 * DAY - 1000);
    expect(next).toBeLessThanOrEqual(Date.now() + 180 * DAY + 1000);

    await kms.send(new DisableKeyRotationCommand({ KeyId: keyArn }));
    const off = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(off.KeyRotationEnabled).toBe(false);
    expect(off.RotationPeriodInDays).toBeUndefined();
  });

  test('without a period the key rotates yearly (365 days)', async () => {
    const key = await newKey();
    await root.send(new EnableKeyRotationCommand({ KeyId: key }));
    expect((await root.send(new GetKeyRotationStatusCommand({ KeyId: key }))).RotationPeriodInDays).toBe(365);
  });

  test('a user of the key whom the key policy does not allow is refused, naming the action', async () => {
    const e = await failure(as(user.keys).send(new EnableKeyRotationCommand({ KeyId: keyArn })));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toContain('kms:EnableKeyRotation');
    const g = await failure(as(user.keys).send(new GetKeyRotationStatusCommand({ KeyId: keyArn })));
    expect(g.name).toBe('AccessDeniedException');
    expect(g.message).toContain('kms:GetKeyRotationStatus');
  });

  test('RotationPeriodInDays outside 90..2560 is a ValidationException; the bounds themselves are accepted', async () => {
    const low = await failure(
      root.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: 89 })),
    );
    expect([low.name, low.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(low.message).toContain("at 'rotationPeriodInDays'");
    const high = await failure(
      root.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: 2561 })),
    );
    expect(high.name).toBe('ValidationException');
    for (const days of [90, 2560]) {
      await root.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: days }));
      expect((await root.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).RotationPeriodInDays).toBe(
        days,
      );
    }
  });

  test('a disabled key answers DisabledException and keeps its status; a key pending deletion reads false', async () => {
    const key = await newKey();
    await root.send(new EnableKeyRotationCommand({ KeyId: key }));
    await root.send(new DisableKeyCommand({ KeyId: key }));
    expect((await failure(root.send(new DisableKeyRotationCommand({ KeyId: key })))).name).toBe(
      'DisabledException',
    );
    expect((await root.send(new GetKeyRotationStatusCommand({ KeyId: key }))).KeyRotationEnabled).toBe(true);
    await root.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    expect((await failure(root.send(new EnableKeyRotationCommand({ KeyId: key })))).name).toBe(
      'KMSInvalidStateException',
    );
    expect((await root.send(new GetKeyRotationStatusCommand({ KeyId: key }))).KeyRotationEnabled).toBe(false);
  });

  test('an AWS managed key always rotates and cannot be changed', async () => {
    const { KeyMetadata } = await root.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    const status = await root.send(new GetKeyRotationStatusCommand({ KeyId: KeyMetadata!.Arn! }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const e = await failure(root.send(new DisableKeyRotationCommand({ KeyId: KeyMetadata!.Arn! })));
    expect(['AccessDeniedException', 'UnsupportedOperationException']).toContain(e.name);
  });

  test('an alias is not a key id here', async () => {
    const e = await failure(root.send(new EnableKeyRotationCommand({ KeyId: 'alias/aws/s3' })));
    expect(e.name).toBe('NotFoundException');
  });
});

describe.runIf(hasAwsCli)('rotation through the AWS CLI', () => {
  test("the administrator's enable-key-rotation, then get-key-rotation-status", async () => {
    const key = await newKey();
    const enabled = await aws(twin, ['kms', 'enable-key-rotation', '--key-id', key], admin.keys);
    expect(enabled.code, enabled.stderr).toBe(0);
    const status = await aws(twin, ['kms', 'get-key-rotation-status', '--key-id', key], admin.keys);
    expect(status.code, status.stderr).toBe(0);
    expect((status.json as { KeyRotationEnabled: boolean }).KeyRotationEnabled).toBe(true);
    const disabled = await aws(twin, ['kms', 'disable-key-rotation', '--key-id', key], admin.keys);
    expect(disabled.code, disabled.stderr).toBe(0);
  });

  test("a key user's enable-key-rotation is AccessDeniedException", async () => {
    const r = await aws(twin, ['kms', 'enable-key-rotation', '--key-id', keyArn], user.keys);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(AccessDeniedException) when calling the EnableKeyRotation operation');
  });
});
