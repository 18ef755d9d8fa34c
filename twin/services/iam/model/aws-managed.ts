import { createHash } from 'node:crypto';
import type { ManagedPolicyState } from './state.ts';

/**
 * A small catalogue of AWS managed policies, with the documents AWS
 * publishes for their default versions ("AWS Managed Policy Reference
 * Guide", docs.aws.amazon.com/aws-managed-policy/latest/reference/<NAME>.html).
 * ReadOnlyAccess is a subset: AWS's document lists hundreds of services;
 * this keeps the entries of the services the twin serves, worded as AWS
 * words them ("ec2:Describe*", "s3:Get*", "kms:List*", …).
 */
interface CatalogueEntry {
  name: string;
  path: string;
  description: string;
  created: string;
  updated: string;
  version: string;
  document: object;
}

const allow = (Action: string | string[], extra: object = {}) => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});
const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const READ_ONLY_ACTIONS = [
  'cloudtrail:Describe*',
  'cloudtrail:Get*',
  'cloudtrail:List*',
  'cloudtrail:LookupEvents',
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  'dynamodb:BatchGet*',
  'dynamodb:Describe*',
  'dynamodb:Get*',
  'dynamodb:List*',
  'dynamodb:Query',
  'dynamodb:Scan',
  'ec2:Describe*',
  'ec2:Get*',
  'ec2:Search*',
  'iam:Generate*',
  'iam:Get*',
  'iam:List*',
  'iam:Simulate*',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'lambda:Get*',
  'lambda:List*',
  'logs:Describe*',
  'logs:FilterLogEvents',
  'logs:Get*',
  'logs:ListTagsLogGroup',
  'logs:StartQuery',
  'logs:StopQuery',
  's3:Describe*',
  's3:Get*',
  's3:List*',
  'sns:Check*',
  'sns:Get*',
  'sns:List*',
  'sqs:Get*',
  'sqs:List*',
  'ssm:Describe*',
  'ssm:Get*',
  'ssm:List*',
];

const CATALOGUE: CatalogueEntry[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    created: '2015-02-06T18:39:46Z',
    updated: '2015-02-06T18:39:46Z',
    version: 'v1',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    created: '2015-02-06T18:39:48Z',
    updated: '2024-01-01T00:00:00Z',
    version: 'v1',
    document: { Version: '2012-10-17', Statement: [{ Sid: 'ReadOnlyActions', ...allow(READ_ONLY_ACTIONS) }] },
  },
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    description: 'Provides write permissions to CloudWatch Logs.',
    created: '2015-04-09T15:03:43Z',
    updated: '2015-04-09T15:03:43Z',
    version: 'v1',
    document: { Version: '2012-10-17', Statement: [allow(LOGS)] },
  },
  {
    name: 'AWSLambdaVPCAccessExecutionRole',
    path: '/service-role/',
    description:
      'Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ',
    created: '2016-02-11T23:15:26Z',
    updated: '2024-01-05T22:38:54Z',
    version: 'v3',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSLambdaVPCAccessExecutionPermissions',
          ...allow([
            ...LOGS,
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ]),
        },
      ],
    },
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole',
    path: '/service-role/',
    description:
      'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.',
    created: '2016-06-14T21:20:33Z',
    updated: '2016-06-14T21:20:33Z',
    version: 'v1',
    document: {
      Version: '2012-10-17',
      Statement: [allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS])],
    },
  },
  {
    name: 'AmazonSSMManagedInstanceCore',
    path: '/',
    description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    created: '2019-03-15T17:22:12Z',
    updated: '2019-05-23T16:54:21Z',
    version: 'v2',
    document: {
      Version: '2012-10-17',
      Statement: [
        allow([
          'ssm:DescribeAssociation',
          'ssm:GetDeployablePatchSnapshotForInstance',
          'ssm:GetDocument',
          'ssm:DescribeDocument',
          'ssm:GetManifest',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:ListAssociations',
          'ssm:ListInstanceAssociations',
          'ssm:PutInventory',
          'ssm:PutComplianceItems',
          'ssm:PutConfigurePackageResult',
          'ssm:UpdateAssociationStatus',
          'ssm:UpdateInstanceAssociationStatus',
          'ssm:UpdateInstanceInformation',
        ]),
        allow([
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ]),
        allow([
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ]),
      ],
    },
  },
];

/** A stable `ANPA…` id per policy name (AWS's own ids are not reproduced). */
function policyId(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(`aws-managed:${name}`).digest();
  let out = 'ANPA';
  for (let i = 0; out.length < 21; i++) out += alphabet[digest[i]! % 32];
  return out;
}

function toState(e: CatalogueEntry): ManagedPolicyState {
  const updated = Date.parse(e.updated);
  return {
    name: e.name,
    path: e.path,
    arn: `arn:aws:iam::aws:policy${e.path}${e.name}`,
    policyId: policyId(e.name),
    description: e.description,
    createDate: Date.parse(e.created),
    updateDate: updated,
    defaultVersionId: e.version,
    versions: [{ versionId: e.version, document: JSON.stringify(e.document, null, 4), createDate: updated }],
    nextVersion: Number(e.version.slice(1)) + 1,
    tags: [],
    awsManaged: true,
  };
}

/** AWS managed policies by ARN. */
export const AWS_MANAGED: ReadonlyMap<string, ManagedPolicyState> = new Map(
  CATALOGUE.map((e) => {
    const state = toState(e);
    return [state.arn, state];
  }),
);
