import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateVpcEndpointCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { buildVpc, type TestVpc } from '../../unit/twin/runtime/vpc.ts';
import { bundledZip, executionRole } from '../lambda/support.ts';

/**
 * DynamoDB from inside a VPC, as the lab's writer reaches it: a function in
 * a subnet with no NAT gets no answer at all until a DynamoDB gateway
 * endpoint is routed from its route table, and the endpoint's policy then
 * decides alongside the role's ("Gateway endpoints for Amazon DynamoDB",
 * VPC User Guide; "Control access to VPC endpoints using endpoint policies").
 */
const READER = `
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
export const handler = async (event: { timeoutMs?: number }) => {
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: event.timeoutMs ?? 2000,
    requestTimeout: event.timeoutMs ?? 2000,
    throwOnRequestTimeout: true,
  });
  try {
    const out = await new DynamoDBClient({ maxAttempts: 1, requestHandler }).send(
      new GetItemCommand({ TableName: 'AppEvents', Key: { EventID: { S: 'e1' } } }),
    );
    return { ok: true, item: out.Item };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
};`;

let twin: TestTwin;
let lambda: LambdaClient;
let ec2: EC2Client;
let vpc: TestVpc;
const clock = new ManualClock(Date.now());

async function invoke(event: object = {}, name = 'reader') {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  return JSON.parse(Buffer.from(out.Payload ?? []).toString());
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  ec2 = new EC2Client(twin.clientConfig());
  const ddb = new DynamoDBClient(twin.clientConfig());
  await ddb.send(
    new CreateTableCommand({
      TableName: 'AppEvents',
      AttributeDefinitions: [{ AttributeName: 'EventID', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'EventID', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  clock.advance(delay(twin.server.twin.profile, 'dynamodbTableCreationMs'));
  await ddb.send(new PutItemCommand({ TableName: 'AppEvents', Item: { EventID: { S: 'e1' } } }));
  const role = await executionRole(new IAMClient(twin.clientConfig()), 'reader-role', {
    managed: ['AWSLambdaVPCAccessExecutionRole'],
    statements: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }],
  });
  vpc = await buildVpc(twin.server.twin);
  const zip = await bundledZip(READER);
  for (const [name, subnet] of [
    ['reader', vpc.isolatedSubnet],
    ['reader-nat', vpc.natSubnet],
  ] as const)
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: zip },
        Timeout: 10,
        VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [vpc.securityGroupId] },
      }),
    );
  clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
}, 60_000);
afterAll(() => twin.close());

describe('a function in a subnet with a NAT gateway', () => {
  test('reads its item over the internet path, no endpoint needed', async () => {
    expect(await invoke({}, 'reader-nat')).toEqual({ ok: true, item: { EventID: { S: 'e1' } } });
  }, 60_000);
});

describe('a function in a subnet without NAT', () => {
  let endpointId: string;

  test('gets no answer from DynamoDB without an endpoint', async () => {
    expect(await invoke({ timeoutMs: 800 })).toMatchObject({ ok: false, name: 'TimeoutError' });
  }, 60_000);

  test('reads its item once a DynamoDB gateway endpoint is on the subnet’s route table', async () => {
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.vpcId] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        VpcEndpointType: 'Gateway',
        ServiceName: 'com.amazonaws.us-east-1.dynamodb',
        RouteTableIds: [RouteTables![0]!.RouteTableId!],
      }),
    );
    endpointId = VpcEndpoint!.VpcEndpointId!;
    expect(await invoke()).toEqual({ ok: true, item: { EventID: { S: 'e1' } } });
  }, 60_000);

  test('is refused by an endpoint policy that does not allow the read, in AWS’s words', async () => {
    await ec2.send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: endpointId,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:PutItem', Resource: '*' }],
        }),
      }),
    );
    expect(await invoke()).toMatchObject({
      ok: false,
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:\d{12}:table\/AppEvents because no VPC endpoint policy allows the dynamodb:GetItem action$/,
      ),
    });
  }, 60_000);
});
