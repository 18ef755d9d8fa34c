import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DescribeTableOutput } from '@aws-sdk/client-dynamodb';
import type { CreatePolicyResponse, CreateRoleResponse } from '@aws-sdk/client-iam';
import { bundleLambda } from '../../probes/bundle.ts';
import type { LabBuilder } from '../builder.ts';
import { buildHttpsOnlyGroup } from './endpoints.ts';
import type { BuiltVpc } from './network.ts';
import { APP_BUCKET, APP_TABLE } from './storage.ts';

/**
 * The application of lab.md ("Serverless, IAM and storage"; seed 000, PHASES
 * 4, 6, 7 and 8): the AppEvents table, EventWriterLambda in Prod's private
 * subnets as EventWriterLambdaRole with the seed's three policies (and the
 * VPC access policy a function in a VPC needs), the app bucket's policy, and
 * LabOperatorRole, the person with restricted access of the seed's "IAM
 * restrictions working" line.
 */
export const WRITER = 'EventWriterLambda';
export const WRITER_ROLE = 'EventWriterLambdaRole';
export const WRITER_GROUP = 'event-writer';
export const WRITER_LOG_GROUP = `/aws/lambda/${WRITER}`;
export const OPERATOR_ROLE = 'LabOperatorRole';

const writerCode = fileURLToPath(new URL('./apps/event-writer/index.mjs', import.meta.url));

const trust = (principal: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });

export interface ApplicationParts {
  prod: BuiltVpc;
  /** The S3 and DynamoDB prefix lists of the region. */
  s3PrefixListId: string;
  dynamodbPrefixListId: string;
  /** The runner's role, which may assume LabOperatorRole. */
  participantArn: string;
}

export async function buildApplication(lab: LabBuilder, parts: ApplicationParts): Promise<void> {
  // Policies may name the table before it exists; it is made last, after everything that names it.
  const tableArn = `arn:aws:dynamodb:${lab.region}:${lab.accountId}:table/${APP_TABLE}`;
  const writerRoleArn = await buildWriterRole(lab, tableArn);
  await buildAppBucketPolicy(lab, writerRoleArn);
  await buildWriter(lab, parts, writerRoleArn);
  await buildOperatorRole(lab, parts.participantArn, tableArn);
  await buildOperatorTryObject(lab);
  await buildAppTable(lab);
}

/**
 * AppEvents (seed 000, PHASE 7): EventID (string) partition key, Timestamp
 * (string) sort key, on-demand, encrypted with the AWS owned key (the
 * console's default: no SSESpecification), and point-in-time recovery on —
 * which UpdateContinuousBackups turns on once the table is ACTIVE (a table
 * still CREATING answers it with an error; DynamoDB API Reference,
 * UpdateContinuousBackups).
 */
async function buildAppTable(lab: LabBuilder): Promise<void> {
  await lab.call('dynamodb', 'CreateTable', {
    TableName: APP_TABLE,
    AttributeDefinitions: [
      { AttributeName: 'EventID', AttributeType: 'S' },
      { AttributeName: 'Timestamp', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'EventID', KeyType: 'HASH' },
      { AttributeName: 'Timestamp', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await waitForActiveTable(lab, APP_TABLE);
  await lab.call('dynamodb', 'UpdateContinuousBackups', {
    TableName: APP_TABLE,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
}

/** Polls DescribeTable until the table is ACTIVE, as an operator's `aws dynamodb wait table-exists` does. */
export async function waitForActiveTable(
  lab: LabBuilder,
  name: string,
): Promise<NonNullable<DescribeTableOutput['Table']>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await lab.call<DescribeTableOutput>('dynamodb', 'DescribeTable', { TableName: name });
    if (Table?.TableStatus === 'ACTIVE') return Table;
    if (Date.now() > deadline) throw new Error(`table ${name} is still ${Table?.TableStatus} after 60 s`);
    await sleep(100);
  }
}

/**
 * EventWriterLambdaRole (seed 000, PHASES 6 and 8): the seed's customer
 * managed policies S3-AppBucket-Access (on cloud-app-data only) and
 * DynamoDB-AppEventsWriter (PutItem and UpdateItem on AppEvents only), and
 * AWSLambdaBasicExecutionRole for its logs. The seed places the function in
 * Prod's private subnets, which needs the ENI permissions of
 * AWSLambdaVPCAccessExecutionRole (Lambda Developer Guide, "Giving Lambda
 * functions access to resources in an Amazon VPC").
 */
async function buildWriterRole(lab: LabBuilder, tableArn: string): Promise<string> {
  const { Role } = await lab.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: WRITER_ROLE,
    AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }),
  });
  const bucketAccess = await createPolicy(lab, 'S3-AppBucket-Access', [
    {
      Sid: 'AllowS3AccessToAppBucket',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
      Resource: [`arn:aws:s3:::${APP_BUCKET}`, `arn:aws:s3:::${APP_BUCKET}/*`],
    },
  ]);
  const tableWrites = await createPolicy(lab, 'DynamoDB-AppEventsWriter', [
    {
      Sid: 'AllowPutUpdateOnAppEvents',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: tableArn,
    },
  ]);
  for (const PolicyArn of [
    bucketAccess,
    tableWrites,
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
  ])
    await lab.call('iam', 'AttachRolePolicy', { RoleName: WRITER_ROLE, PolicyArn });
  return Role!.Arn!;
}

async function createPolicy(lab: LabBuilder, name: string, statements: object[]): Promise<string> {
  const { Policy } = await lab.call<CreatePolicyResponse>('iam', 'CreatePolicy', {
    PolicyName: name,
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  });
  return Policy!.Arn!;
}

/**
 * cloud-app-data's policy: no request without TLS (S3 User Guide, "Security
 * best practices": aws:SecureTransport), and the writer's role admitted for
 * the seed's four actions — nobody else. The lab account's other principals
 * (the runner, the probe) get in through their own IAM policies, as a bucket
 * policy need not name principals of its own account (IAM User Guide,
 * "Policy evaluation logic": same-account access).
 */
async function buildAppBucketPolicy(lab: LabBuilder, writerRoleArn: string): Promise<void> {
  const bucket = `arn:aws:s3:::${APP_BUCKET}`;
  await lab.call('s3', 'PutBucketPolicy', {
    Bucket: APP_BUCKET,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket, `${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'EventWriterObjects',
          Effect: 'Allow',
          Principal: { AWS: writerRoleArn },
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${bucket}/*`,
        },
        {
          Sid: 'EventWriterLists',
          Effect: 'Allow',
          Principal: { AWS: writerRoleArn },
          Action: 's3:ListBucket',
          Resource: bucket,
        },
      ],
    }),
  });
}

/**
 * EventWriterLambda (seed 000, PHASE 8) as the Node.js twin of the seed's
 * Python code, in both Prod private subnets, with its own security group
 * whose default egress is replaced by HTTPS to S3's and DynamoDB's prefix
 * lists (the gateway endpoints) and to Prod's endpoint group (logs, and the
 * rest of its AWS calls) — the seed's "allow outbound to DynamoDB + S3
 * endpoints" without its 0.0.0.0/0, which a zero-trust Prod has no route for.
 * Its log group exists before the first invoke, as an operator's template
 * makes it (Lambda would make it on first write otherwise).
 */
async function buildWriter(lab: LabBuilder, parts: ApplicationParts, writerRoleArn: string): Promise<void> {
  const groupId = await buildHttpsOnlyGroup(lab, parts.prod, {
    name: WRITER_GROUP,
    description: 'EventWriterLambda: HTTPS to S3, DynamoDB and the VPC endpoints only',
    prefixListIds: [parts.s3PrefixListId, parts.dynamodbPrefixListId],
  });
  await lab.call('logs', 'CreateLogGroup', { logGroupName: WRITER_LOG_GROUP });
  await lab.call('lambda', 'CreateFunction', {
    FunctionName: WRITER,
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: writerRoleArn,
    Code: { ZipFile: await bundleLambda(writerCode) },
    // Two writes of a small item: well under a second. A writer that cannot reach DynamoDB or S3 (a drift
    // that takes an endpoint away) hangs until this timeout, and the checks that invoked it with it; the
    // seed keeps the console's default of 3 s, 10 s leaves room for a loaded machine.
    Timeout: 10,
    VpcConfig: { SubnetIds: parts.prod.subnetIds, SecurityGroupIds: [groupId] },
    Environment: { Variables: { BUCKET_NAME: APP_BUCKET } },
  });
}

/**
 * LabOperatorRole: a person who may look at the application's data but not
 * change or read it — DescribeTable and Query on AppEvents, ListBucket on
 * cloud-app-data, nothing that deletes or reads objects. The runner may
 * assume it (as it may FinanceRole) to try a refused read for real.
 */
async function buildOperatorRole(lab: LabBuilder, participantArn: string, tableArn: string): Promise<void> {
  await lab.call('iam', 'CreateRole', {
    RoleName: OPERATOR_ROLE,
    AssumeRolePolicyDocument: trust({ AWS: participantArn }),
  });
  await lab.call('iam', 'PutRolePolicy', {
    RoleName: OPERATOR_ROLE,
    PolicyName: 'look-but-do-not-touch',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DescribeAndQueryAppEvents',
          Effect: 'Allow',
          Action: ['dynamodb:DescribeTable', 'dynamodb:Query'],
          Resource: tableArn,
        },
        {
          Sid: 'ListAppObjects',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: `arn:aws:s3:::${APP_BUCKET}`,
        },
      ],
    }),
  });
}

/**
 * The object the operator's refused read is tried on (targets:
 * `operators[].liveTry`). It must exist for the refusal to be IAM's: S3
 * answers a read of a missing key with 404 or 403 depending on
 * s3:ListBucket, not on the right to read (S3 API Reference, GetObject,
 * "Permissions"), so a refused read of nothing proves nothing. It lies outside
 * the writer's `logs/`: an object there written just before the writer's
 * invocation would be taken for its own (S12's window, in the drift matrix
 * right after a reset).
 */
export const OPERATOR_TRY_KEY = 'operator/meshcheck-operator-try.json';

async function buildOperatorTryObject(lab: LabBuilder): Promise<void> {
  await lab.call('s3', 'PutObject', {
    Bucket: APP_BUCKET,
    Key: OPERATOR_TRY_KEY,
    Body: new TextEncoder().encode('{"purpose": "LabOperatorRole may list this object but never read it"}'),
    ContentType: 'application/json',
  });
}
