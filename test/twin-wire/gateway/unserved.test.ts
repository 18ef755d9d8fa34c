import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateVpcCommand, DescribeHostsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EncryptCommand, KMSClient, ListRetirableGrantsCommand } from '@aws-sdk/client-kms';
import { LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { GetBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { ListPlatformApplicationsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ec2 as ec2Service } from '../../../twin/services/ec2/api.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * A call the twin does not serve fails at once with a 4xx that names it, in
 * the protocol the client speaks, and the client does not retry it. Before,
 * any DynamoDB call answered a plain-text 500 (a TypeError while rendering
 * the twin's own "unknown service" error), which the SDK and CLI retried.
 */
let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

/** Client config with the SDK's default retries (3 attempts), so a retry would show. */
function retrying() {
  return { ...twin.clientConfig(), maxAttempts: 3 };
}

async function failure(p: Promise<unknown>) {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } };
  expect(e, 'the call should have failed').toBeDefined();
  return e;
}

describe('a service the twin does not serve', () => {
  // DynamoDB is served now; an awsJson client signing for Kinesis (unserved) stands in for it.
  test('an awsJson call signed for an unserved service: UnknownOperationException 400 naming it, one attempt', async () => {
    const client = new DynamoDBClient({ ...retrying(), signingName: 'kinesis' } as never);
    const e = await failure(client.send(new ListTablesCommand({})));
    expect(e.name).toBe('UnknownOperationException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.attempts).toBe(1);
    expect(e.message).toContain('kinesis');
    expect(e.message).toContain('ListTables');
  });

  test.runIf(hasAwsCli)('aws kinesis list-streams fails at once with the error named', async () => {
    const before = twin.server.requestCount;
    const r = await aws(twin, ['kinesis', 'list-streams']);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(UnknownOperationException) when calling the ListStreams operation');
    expect(r.stderr).toContain('kinesis');
    expect(twin.server.requestCount - before, 'the CLI retried').toBe(1);
  });
});

describe.runIf(hasAwsCli)('other unserved services through the CLI, in the protocol each speaks', () => {
  test.each([
    [['rds', 'describe-db-instances'], 'InvalidAction', 'DescribeDBInstances'],
    [['apigateway', 'get-rest-apis'], 'UnknownOperationException', 'GetRestApis'],
  ])('aws %j answers %s at once', async (args, code, operation) => {
    const before = twin.server.requestCount;
    const r = await aws(twin, args);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain(`(${code}) when calling the ${operation} operation`);
    expect(r.stderr).toContain('The twin does not serve');
    expect(twin.server.requestCount - before, 'the CLI retried').toBe(1);
  });
});

describe('an operation the service has but the twin does not serve, per protocol', () => {
  test('awsJson (KMS): UnknownOperationException 400', async () => {
    const e = await failure(
      new KMSClient(retrying()).send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'x' })),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual([
      'UnknownOperationException',
      400,
      1,
    ]);
    expect(e.message).toContain('kms:ListRetirableGrants');
  });

  test('ec2Query (EC2): InvalidAction 400', async () => {
    const e = await failure(new EC2Client(retrying()).send(new DescribeHostsCommand({})));
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual(['InvalidAction', 400, 1]);
    expect(e.message).toContain('ec2:DescribeHosts');
  });

  test('awsQuery (SNS): InvalidAction 400', async () => {
    const e = await failure(new SNSClient(retrying()).send(new ListPlatformApplicationsCommand({})));
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual(['InvalidAction', 400, 1]);
    expect(e.message).toContain('sns:ListPlatformApplications');
  });

  test('restJson1 (Lambda): UnknownOperationException 404', async () => {
    const e = await failure(new LambdaClient(retrying()).send(new ListLayersCommand({})));
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual([
      'UnknownOperationException',
      404,
      1,
    ]);
    expect(e.message).toContain('lambda:ListLayers');
  });

  test('restXml (S3): MethodNotAllowed 405', async () => {
    const e = await failure(
      new S3Client({ ...retrying(), forcePathStyle: true }).send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: 'any-bucket' }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual(['MethodNotAllowed', 405, 1]);
    expect(e.message).toContain('s3:GetBucketLifecycleConfiguration');
  });

  test.runIf(hasAwsCli)('aws ec2 describe-hosts: InvalidAction, not retried', async () => {
    const before = twin.server.requestCount;
    const r = await aws(twin, ['ec2', 'describe-hosts']);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(InvalidAction) when calling the DescribeHosts operation');
    expect(twin.server.requestCount - before).toBe(1);
  });
});

describe('input AWS refuses gets its 4xx, never a 500', () => {
  test('a 100,000-character EC2 filter value: FilterLimitExceeded 400', async () => {
    const ec2 = new EC2Client(retrying());
    // With a VPC to match against, the old code compiled the value into a regular expression too large for V8.
    await ec2.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }));
    const e = await failure(
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['x'.repeat(100_000)] }] })),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual([
      'FilterLimitExceeded',
      400,
      1,
    ]);
    expect(e.message).toBe('The maximum length for a filter value is 255 characters');
  });

  test('more than 200 filter values in one call: FilterLimitExceeded 400', async () => {
    const values = Array.from({ length: 201 }, (_, i) => `vpc-${i}`);
    const e = await failure(
      new EC2Client(retrying()).send(
        new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: values }] }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['FilterLimitExceeded', 400]);
  });

  test('a 255-character value is accepted, and wildcards cannot stall the twin', async () => {
    const ec2 = new EC2Client(retrying());
    const name = 'a'.repeat(60);
    await ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.91.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
    // `a*a*…b` took exponential time in the old regular-expression matcher: the call never answered.
    const stalling = `${'a*'.repeat(20)}b`;
    const none = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [stalling] }] }),
    );
    expect(none.Vpcs).toEqual([]);
    const found = await ec2.send(
      new DescribeVpcsCommand({
        Filters: [{ Name: 'tag:Name', Values: [`${'a*'.repeat(20)}`, 'z'.repeat(255)] }],
      }),
    );
    expect(found.Vpcs?.map((v) => v.CidrBlock)).toEqual(['10.91.0.0/16']);
  }, 10_000);

  test.runIf(hasAwsCli)('aws ec2 describe-vpcs with a 100,000-character filter value', async () => {
    const r = await aws(twin, [
      'ec2',
      'describe-vpcs',
      '--filters',
      `Name=tag:Name,Values=${'y'.repeat(100_000)}`,
    ]);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(FilterLimitExceeded) when calling the DescribeVpcs operation');
  });

  test('a request with an unknown key is refused in JSON, never plain text', async () => {
    const res = await fetch(`${twin.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=' +
          '0'.repeat(64),
      },
      body: '{}',
    });
    // An unknown key is refused as AWS refuses it; the point is the shape: JSON with __type, never text.
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/UnrecognizedClientException/);
  });

  test('an unsigned request is refused in a readable shape', async () => {
    const res = await fetch(`${twin.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/MissingAuthenticationTokenException/);
  });

  test('a member of the wrong type is SerializationException naming it, not a crash inside the handler', async () => {
    const kms = new KMSClient(retrying());
    // The body is rewritten before signing, as a hand-made client would send it.
    kms.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        request.body = '{"KeyId":{"a":1},"Plaintext":"aGk="}';
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'build' },
    );
    const e = await failure(
      kms.send(new EncryptCommand({ KeyId: 'alias/x', Plaintext: new Uint8Array([1]) })),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.$metadata.attempts]).toEqual([
      'SerializationException',
      400,
      1,
    ]);
    expect(e.message).toContain('KeyId must be a string');
  });
});

describe('a bug in the twin', () => {
  test('is a protocol-shaped 500 InternalFailure that says it is the twin, not AWS', async () => {
    const original = ec2Service.handlers.DescribeVpcs!;
    ec2Service.handlers.DescribeVpcs = () => {
      throw new TypeError('simulated twin bug');
    };
    try {
      const e = await failure(new EC2Client(twin.clientConfig()).send(new DescribeVpcsCommand({})));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InternalFailure', 500]);
      expect(e.message).toContain('a bug in the twin, not an AWS answer');
      expect(e.message).toContain('simulated twin bug');
    } finally {
      ec2Service.handlers.DescribeVpcs = original;
    }
  });
});
