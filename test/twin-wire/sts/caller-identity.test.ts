import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

describe('STS over awsQuery', () => {
  test('GetCallerIdentity names the root of the signing account', async () => {
    const sts = new STSClient(twin.clientConfig());
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(twin.server.twin.accounts[0]);
    expect(me.Arn).toBe(`arn:aws:iam::${twin.server.twin.accounts[0]}:root`);
    expect(me.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a wrong secret is SignatureDoesNotMatch (403), as AWS answers it', async () => {
    const config = twin.clientConfig();
    const sts = new STSClient({
      ...config,
      credentials: { ...config.credentials, secretAccessKey: 'wrong' },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('an unknown access key is InvalidClientTokenId', async () => {
    const sts = new STSClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  test.runIf(hasAwsCli)('the AWS CLI gets the same identity', async (ctx) => {
    const result = await aws(twin, ['sts', 'get-caller-identity']);
    ctx.expect(result.code, result.stderr).toBe(0);
    ctx.expect(result.json).toMatchObject({ Account: twin.server.twin.accounts[0] });
  });
});
