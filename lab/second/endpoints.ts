import {
  AuthorizeSecurityGroupEgressCommand,
  CreateVpcEndpointCommand,
  DescribePrefixListsCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../../helpers/clients.ts';
import { awsManaged, createRole } from './identity.ts';
import { type BuiltSpoke, securityGroup, tagged } from './network.ts';

/**
 * Private connectivity in the second lab: only Payments has an S3 gateway
 * endpoint (no DynamoDB one) and interface endpoints beyond SSM's; its
 * functions may send HTTPS to S3's prefix list and its endpoints only.
 * Sandbox functions may send HTTPS anywhere — and still reach nothing.
 */
export const PAYMENTS_INTERFACES = ['kms', 'sts', 'sqs', 'logs'];

export async function buildPaymentsEndpoints(
  { ec2 }: AwsClients,
  accountId: string,
  payments: BuiltSpoke,
): Promise<void> {
  await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: payments.vpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.eu-west-1.s3',
      RouteTableIds: [payments.routeTableId],
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalAccount': [accountId] } },
          },
        ],
      }),
      TagSpecifications: tagged('vpc-endpoint', 'payments-s3'),
    }),
  );
  for (const service of PAYMENTS_INTERFACES)
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: payments.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        SubnetIds: payments.subnetIds,
        SecurityGroupIds: [payments.endpointGroupId],
        PrivateDnsEnabled: true,
      }),
    );
}

/** A functions' group with its default allow-all egress replaced by HTTPS to `to`. */
export async function functionGroup(
  { ec2 }: AwsClients,
  spoke: BuiltSpoke,
  to: { prefixList?: string; groupId?: string; anywhere?: boolean },
): Promise<string> {
  const name = `${spoke.spec.key}-functions`;
  const groupId = await securityGroup(ec2, spoke.vpcId, name, 'Lambda functions: HTTPS out only', []);
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
          ...(to.prefixList && { PrefixListIds: [{ PrefixListId: to.prefixList }] }),
          ...(to.groupId && { UserIdGroupPairs: [{ GroupId: to.groupId }] }),
          ...(to.anywhere && { IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
        },
      ],
    }),
  );
  return groupId;
}

export async function s3PrefixListId({ ec2 }: AwsClients): Promise<string> {
  const { PrefixLists } = await ec2.send(
    new DescribePrefixListsCommand({
      Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.eu-west-1.s3'] }],
    }),
  );
  return PrefixLists![0]!.PrefixListId!;
}

/** A scratch bucket the reach probe writes its run-scoped objects to, and the probe's role. */
export async function buildProbeSupport(clients: AwsClients, bucket: string): Promise<void> {
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
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
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  // meshcheck's runner policy may pass only a role of this name to its probes.
  await createRole(
    clients,
    'meshcheck-probe',
    { Service: 'lambda.amazonaws.com' },
    {
      managed: [awsManaged('service-role/AWSLambdaVPCAccessExecutionRole')],
      inline: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: `arn:aws:s3:::${bucket}/meshcheck/*`,
          },
          // So that the probe's DynamoDB attempt from a VPC without a DynamoDB endpoint can only time
          // out for want of a path, never be refused (ListTables takes Resource "*" only).
          { Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' },
        ],
      },
    },
  );
}
