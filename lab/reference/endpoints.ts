import type { CreateSecurityGroupResult } from '@aws-sdk/client-ec2';
import { type LabBuilder, named } from '../builder.ts';
import type { BuiltVpc } from './network.ts';

/**
 * Private connectivity (lab.md, "Private connectivity"): Prod reaches S3 and
 * DynamoDB through gateway endpoints on its private route table and every
 * other service through interface endpoints with private DNS; the S3
 * endpoint policy lets in principals of the lab account only. Dev and Shared
 * have only the SSM endpoints (made with the network).
 */
export const PROD_INTERFACE_SERVICES = ['ec2', 'logs', 'lambda', 'cloudtrail', 'events', 'kms', 'sqs', 'sts'];

export function s3EndpointPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LabAccountPrincipalsOnly',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': accountId } },
      },
    ],
  });
}

export async function buildProdEndpoints(lab: LabBuilder, prod: BuiltVpc): Promise<void> {
  for (const service of ['s3', 'dynamodb']) {
    await lab.ec2('CreateVpcEndpoint', {
      VpcId: prod.vpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: `com.amazonaws.${lab.region}.${service}`,
      RouteTableIds: [prod.routeTableId],
      ...(service === 's3' && { PolicyDocument: s3EndpointPolicy(lab.accountId) }),
      ...named('vpc-endpoint', `prod-${service}`),
    });
  }
  for (const service of PROD_INTERFACE_SERVICES) {
    await lab.ec2('CreateVpcEndpoint', {
      VpcId: prod.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.${lab.region}.${service}`,
      SubnetIds: prod.subnetIds,
      SecurityGroupIds: [prod.endpointSgId],
      PrivateDnsEnabled: true,
      ...named('vpc-endpoint', `prod-${service}`),
    });
  }
}

/**
 * The security group the lab's Lambda functions run in: HTTPS out to S3's
 * prefix list and to the VPC's endpoints, nothing else (lab.md: "SG egress
 * 443 to the S3 prefix list and the endpoint SG").
 */
export async function buildLambdaSecurityGroup(
  lab: LabBuilder,
  vpc: BuiltVpc,
  s3PrefixListId?: string,
): Promise<string> {
  if (!s3PrefixListId) return buildOpenHttpsGroup(lab, vpc);
  const { GroupId } = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: `${vpc.spec.key}-lambda`,
    Description: 'Lambda functions: HTTPS to S3 and the VPC endpoints only',
    VpcId: vpc.vpcId,
    ...named('security-group', `${vpc.spec.key}-lambda`),
  });
  await lab.ec2('RevokeSecurityGroupEgress', {
    GroupId,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  await lab.ec2('AuthorizeSecurityGroupEgress', {
    GroupId,
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        UserIdGroupPairs: [{ GroupId: vpc.endpointSgId }],
        ...(s3PrefixListId && { PrefixListIds: [{ PrefixListId: s3PrefixListId }] }),
      },
    ],
  });
  return GroupId!;
}

/** The S3 prefix list of the region, as DescribePrefixLists names it. */
export async function s3PrefixList(lab: LabBuilder): Promise<string> {
  const { PrefixLists } = await lab.ec2<{ PrefixLists?: { PrefixListId?: string }[] }>(
    'DescribePrefixLists',
    {
      Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${lab.region}.s3`] }],
    },
  );
  return PrefixLists![0]!.PrefixListId!;
}

/**
 * A Lambda group in a VPC without an S3 endpoint: HTTPS anywhere, so that a
 * probe's timeout there can only mean there is no route — not a firewall.
 */
async function buildOpenHttpsGroup(lab: LabBuilder, vpc: BuiltVpc): Promise<string> {
  const { GroupId } = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: `${vpc.spec.key}-lambda`,
    Description: 'Lambda functions: HTTPS out',
    VpcId: vpc.vpcId,
    ...named('security-group', `${vpc.spec.key}-lambda`),
  });
  await lab.ec2('RevokeSecurityGroupEgress', {
    GroupId,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  await lab.ec2('AuthorizeSecurityGroupEgress', {
    GroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  return GroupId!;
}
