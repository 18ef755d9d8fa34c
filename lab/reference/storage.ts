import type { CreateRoleResponse } from '@aws-sdk/client-iam';
import type { LabBuilder } from '../builder.ts';

/**
 * `cloud-app-data` (lab.md, "Serverless, IAM and storage"): block public
 * access, versioning, SSE-S3.
 */
export const APP_BUCKET = 'cloud-app-data';
/** DynamoDB `AppEvents` (lab.md, "Serverless, IAM and storage"; seed 000, PHASE 7). */
export const APP_TABLE = 'AppEvents';

export async function buildAppBucket(lab: LabBuilder): Promise<void> {
  await lab.call('s3', 'CreateBucket', { Bucket: APP_BUCKET });
  await lab.call('s3', 'PutPublicAccessBlock', {
    Bucket: APP_BUCKET,
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  await lab.call('s3', 'PutBucketVersioning', {
    Bucket: APP_BUCKET,
    VersioningConfiguration: { Status: 'Enabled' },
  });
  await lab.call('s3', 'PutBucketEncryption', {
    Bucket: APP_BUCKET,
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
  });
}

/**
 * The role meshcheck's reach probe runs as: VPC access, its logs,
 * run-scoped objects under `meshcheck/` in the app bucket, and run-scoped
 * items of the app table (ListTables, and put/get/delete of items whose
 * partition key begins with `meshcheck-`) — nothing more.
 */
export async function buildProbeRole(lab: LabBuilder): Promise<string> {
  const { Role } = await lab.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: 'meshcheck-probe',
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    }),
  });
  for (const policy of [
    'service-role/AWSLambdaBasicExecutionRole',
    'service-role/AWSLambdaVPCAccessExecutionRole',
  ]) {
    await lab.call('iam', 'AttachRolePolicy', {
      RoleName: 'meshcheck-probe',
      PolicyArn: `arn:aws:iam::aws:policy/${policy}`,
    });
  }
  await lab.call('iam', 'PutRolePolicy', {
    RoleName: 'meshcheck-probe',
    PolicyName: 'run-scoped-objects',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${APP_BUCKET}` },
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: `arn:aws:s3:::${APP_BUCKET}/meshcheck/*`,
        },
      ],
    }),
  });
  await lab.call('iam', 'PutRolePolicy', {
    RoleName: 'meshcheck-probe',
    PolicyName: 'run-scoped-items',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        // ListTables takes no resource: "*" is the only Resource it can have (Service Authorization
        // Reference, Amazon DynamoDB: ListTables has no resource type).
        { Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' },
        {
          // dynamodb:LeadingKeys holds the item's partition key value; ForAllValues:StringLike keeps every
          // item the probe touches to its own run's prefix (DynamoDB Developer Guide, "Using IAM policy
          // conditions for fine-grained access control").
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'],
          Resource: `arn:aws:dynamodb:${lab.region}:${lab.accountId}:table/${APP_TABLE}`,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['meshcheck-*'] } },
        },
      ],
    }),
  });
  return Role!.Arn!;
}
