import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupEgressCommand,
  CreateVpcEndpointCommand,
  DescribePrefixListsCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../../helpers/clients.ts';
import { bundleLambda } from '../../probes/bundle.ts';
import { key } from './data-protection.ts';
import { awsManaged, createRole } from './identity.ts';
import { type BuiltSpoke, securityGroup, tagged } from './network.ts';

/**
 * The second lab's application, its own take on seed 000's: the event
 * recorder (Node.js) in one subnet of Analytics — the only VPC with a
 * DynamoDB gateway endpoint — books events in a provisioned table with a
 * numeric sort key under a customer managed key, and uploads each to an
 * unversioned SSE-KMS bucket whose policy only refuses plain HTTP. The
 * recorder's role may write and nothing else; no operator is named. Payments
 * and Sandbox have no DynamoDB endpoint: from there DynamoDB times out.
 */
export const RECORDER = 'ledger-event-recorder';
export const RECORDER_ROLE = 'EventRecorderRole';
export const RECORDER_GROUP = 'analytics-recorder';
export const EVENTS_TABLE = 'ledger-events';
export const EVENTS_KEY = 'alias/ledger-events';
export const eventsBucket = (accountId: string) => `ledger-events-${accountId}`;
const REGION = 'eu-west-1';

export async function buildApplication(
  clients: AwsClients,
  accountId: string,
  parts: { runnerArn: string; analytics: BuiltSpoke },
): Promise<void> {
  const bucket = eventsBucket(accountId);
  const tableArn = `arn:aws:dynamodb:${REGION}:${accountId}:table/${EVENTS_TABLE}`;
  const recorder = await createRole(
    clients,
    RECORDER_ROLE,
    { Service: 'lambda.amazonaws.com' },
    {
      managed: [
        awsManaged('service-role/AWSLambdaBasicExecutionRole'),
        awsManaged('service-role/AWSLambdaVPCAccessExecutionRole'),
      ],
      inline: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'BookEvents', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn },
          {
            Sid: 'UploadEvents',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${bucket}/events/*`,
          },
        ],
      },
    },
  );
  const keyArn = await key(clients, EVENTS_KEY, eventsKeyPolicy(accountId, parts.runnerArn, recorder.arn));
  await buildEventsTable(clients, keyArn);
  await buildEventsBucket(clients, bucket, keyArn);
  await buildRecorder(clients, parts.analytics, { roleArn: recorder.arn, bucket });
}

/**
 * The events key. DynamoDB uses it for any principal of the account that
 * IAM lets use the table, through DynamoDB only — the statement of AWS's own
 * aws/dynamodb key policy (DynamoDB Developer Guide, "How Amazon DynamoDB
 * uses AWS KMS": kms:ViaService and kms:CallerAccount); S3 encrypts the
 * recorder's uploads with it (the uploader needs GenerateDataKey; S3 User
 * Guide, "Using server-side encryption with AWS KMS keys"), and the runner
 * reads them back through S3 (Decrypt). No root statement, as the lab's
 * other keys.
 */
function eventsKeyPolicy(accountId: string, runnerArn: string, recorderArn: string): object[] {
  return [
    {
      Sid: 'Administer',
      Effect: 'Allow',
      Principal: { AWS: runnerArn },
      Action: [
        'kms:Describe*',
        'kms:Get*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Enable*',
        'kms:Disable*',
      ],
      Resource: '*',
    },
    {
      Sid: 'TheAccountThroughDynamoDB',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:CreateGrant',
        'kms:DescribeKey',
      ],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:CallerAccount': accountId,
          'kms:ViaService': `dynamodb.${REGION}.amazonaws.com`,
        },
      },
    },
    {
      Sid: 'RecorderUploadsThroughS3',
      Effect: 'Allow',
      Principal: { AWS: recorderArn },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
    },
    {
      Sid: 'RunnerReadsUploadsThroughS3',
      Effect: 'Allow',
      Principal: { AWS: runnerArn },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
    },
  ];
}

/**
 * ledger-events: entryId (string) partition key, bookedAt (number) sort
 * key, provisioned at 2/2, encrypted with the events key; point-in-time
 * recovery left off (the default).
 */
async function buildEventsTable(clients: AwsClients, keyArn: string): Promise<TableDescription> {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: EVENTS_TABLE,
      AttributeDefinitions: [
        { AttributeName: 'entryId', AttributeType: 'S' },
        { AttributeName: 'bookedAt', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'entryId', KeyType: 'HASH' },
        { AttributeName: 'bookedAt', KeyType: 'RANGE' },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    }),
  );
  // The recorder's first invoke may come at once: wait as `aws dynamodb wait table-exists` does.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: EVENTS_TABLE }));
    if (Table?.TableStatus === 'ACTIVE') return Table;
    if (Date.now() > deadline) throw new Error(`${EVENTS_TABLE} is still ${Table?.TableStatus} after 60 s`);
    await sleep(100);
  }
}

/** The events bucket: public access blocked, not versioned, SSE-KMS under the events key, TLS only. */
async function buildEventsBucket(clients: AwsClients, bucket: string, keyArn: string): Promise<void> {
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  await clients.s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }],
      },
    }),
  );
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    }),
  );
}

/**
 * Analytics gains S3 and DynamoDB gateway endpoints on its route table; the
 * recorder runs in its second subnet only (eu-west-1c), in a group whose
 * default egress is replaced by HTTPS to the two services' prefix lists —
 * it calls nothing else (its logs are Lambda's to write, not its own).
 */
async function buildRecorder(
  clients: AwsClients,
  analytics: BuiltSpoke,
  p: { roleArn: string; bucket: string },
): Promise<void> {
  const { ec2 } = clients;
  const prefixLists: string[] = [];
  for (const service of ['s3', 'dynamodb']) {
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: analytics.vpcId,
        VpcEndpointType: 'Gateway',
        ServiceName: `com.amazonaws.${REGION}.${service}`,
        RouteTableIds: [analytics.routeTableId],
        TagSpecifications: tagged('vpc-endpoint', `analytics-${service}`),
      }),
    );
    const { PrefixLists } = await ec2.send(
      new DescribePrefixListsCommand({
        Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${REGION}.${service}`] }],
      }),
    );
    prefixLists.push(PrefixLists![0]!.PrefixListId!);
  }
  const groupId = await securityGroup(
    ec2,
    analytics.vpcId,
    RECORDER_GROUP,
    'The event recorder: HTTPS to S3 and DynamoDB only',
    [],
  );
  await ec2.send(
    new RevokeSecurityGroupEgressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          PrefixListIds: prefixLists.map((PrefixListId) => ({ PrefixListId })),
        },
      ],
    }),
  );
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: RECORDER,
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: p.roleArn,
      Code: {
        ZipFile: await bundleLambda(
          fileURLToPath(new URL('./apps/event-recorder/index.ts', import.meta.url)),
        ),
      },
      MemorySize: 192,
      Timeout: 15,
      VpcConfig: { SubnetIds: [analytics.subnetIds[1]!], SecurityGroupIds: [groupId] },
      Environment: { Variables: { EVENTS_TABLE, EVENTS_BUCKET: p.bucket } },
    }),
  );
}
