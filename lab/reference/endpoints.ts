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
 * The security group meshcheck's reach probe runs in, in Prod: HTTPS out to
 * S3's and DynamoDB's prefix lists (the gateway endpoints it tries) and to
 * the VPC's endpoints, nothing else (lab.md: "SG egress 443 to the S3 prefix
 * list and the endpoint SG"). Elsewhere (no S3 endpoint) HTTPS anywhere.
 */
export async function buildLambdaSecurityGroup(
  lab: LabBuilder,
  vpc: BuiltVpc,
  prefixListIds?: string[],
): Promise<string> {
  if (!prefixListIds) return buildOpenHttpsGroup(lab, vpc);
  return buildHttpsOnlyGroup(lab, vpc, {
    name: `${vpc.spec.key}-lambda`,
    description: 'Lambda functions: HTTPS to S3 and the VPC endpoints only',
    prefixListIds,
  });
}

/**
 * A functions' security group whose default allow-all egress is replaced by
 * HTTPS to the given prefix lists and to the VPC's endpoint group only (seeds
 * 002 and 003 remove the default egress). Each function of the lab gets its
 * own, so that widening one function's egress leaves the others' as it was.
 */
export async function buildHttpsOnlyGroup(
  lab: LabBuilder,
  vpc: BuiltVpc,
  group: { name: string; description: string; prefixListIds: string[] },
): Promise<string> {
  const { GroupId } = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: group.name,
    Description: group.description,
    VpcId: vpc.vpcId,
    ...named('security-group', group.name),
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
        PrefixListIds: group.prefixListIds.map((PrefixListId) => ({ PrefixListId })),
      },
    ],
  });
  return GroupId!;
}

/** The prefix list of a gateway endpoint service (`s3`, `dynamodb`) in the region, as DescribePrefixLists names it. */
export async function servicePrefixList(lab: LabBuilder, service: 's3' | 'dynamodb'): Promise<string> {
  const { PrefixLists } = await lab.ec2<{ PrefixLists?: { PrefixListId?: string }[] }>(
    'DescribePrefixLists',
    {
      Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${lab.region}.${service}`] }],
    },
  );
  return PrefixLists![0]!.PrefixListId!;
}

/** The S3 prefix list of the region, as DescribePrefixLists names it. */
export function s3PrefixList(lab: LabBuilder): Promise<string> {
  return servicePrefixList(lab, 's3');
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
