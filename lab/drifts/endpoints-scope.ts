import {
  AuthorizeSecurityGroupIngressCommand,
  DescribePrefixListsCommand,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { serviceRow } from '../../helpers/targets/rows.ts';
import { ec2, endpointOf, SSM_TRIO } from './endpoints.ts';
import type { Drift } from './types.ts';

/**
 * Drifts of an endpoint's scope that the checks once read too narrowly
 * (issue 9, "Sources and scope"): a prefix-list source on an endpoint's
 * group, an interface endpoint shrunk by one AZ, an S3 endpoint policy
 * that keeps reads in but lets anyone write, and one keyed on the bucket's
 * account, not the caller's.
 */
export const endpointSgAdmitsPrefixList: Drift = {
  id: 'ep-endpoint-sg-admits-prefix-list',
  says: "an interface endpoint's security group admits HTTPS from a prefix list (S3's public ranges)",
  appliesTo: (lab) => Boolean(lab.endpoints?.vpcs.some((v) => v.interface.length)),
  async breaks(lab) {
    return [{ id: 'E4', row: lab.endpoints!.vpcs.find((v) => v.interface.length)!.vpc }];
  },
  async apply(lab, op) {
    const e = lab.endpoints!.vpcs.find((v) => v.interface.length)!;
    const client = ec2(op, lab, e.vpc);
    const endpoint = await endpointOf(lab, op, e.vpc, e.interface[0]!);
    const { PrefixLists } = await client.send(
      new DescribePrefixListsCommand({
        Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${lab.region}.s3`] }],
      }),
    );
    await client.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: endpoint.Groups![0]!.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            PrefixListIds: [{ PrefixListId: PrefixLists![0]!.PrefixListId }],
          },
        ],
      }),
    );
  },
};

/** An interface endpoint outside the SSM trio (the hosts' Run Command needs those whole). */
function shrinkable(lab: ResolvedTargets) {
  for (const e of lab.endpoints?.vpcs ?? []) {
    const service = e.interface.find((s) => !SSM_TRIO.has(s));
    const subnets = lab.network?.vpcs.find((v) => v.name === e.vpc)?.subnets ?? [];
    if (service && subnets.length > 1) return { vpc: e.vpc, service };
  }
  return undefined;
}

export const interfaceEndpointLosesAz: Drift = {
  id: 'ep-interface-endpoint-loses-az',
  says: 'an interface endpoint is modified to drop one of its subnets (one AZ fewer)',
  appliesTo: (lab) => Boolean(shrinkable(lab)),
  async breaks(lab) {
    const { vpc, service } = shrinkable(lab)!;
    return [{ id: 'E3', row: serviceRow(vpc, service) }];
  },
  async apply(lab, op) {
    const { vpc, service } = shrinkable(lab)!;
    const endpoint = await endpointOf(lab, op, vpc, service);
    await ec2(op, lab, vpc).send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: endpoint.VpcEndpointId,
        RemoveSubnetIds: [endpoint.SubnetIds!.at(-1)!],
      }),
    );
  },
};

/** The S3 gateway endpoint's policy replaced by `statements`, built from the accounts targets allow. */
function s3EndpointPolicyDrift(
  id: string,
  says: string,
  statements: (accounts: string[]) => object[],
): Drift {
  const scoped = (lab: ResolvedTargets) => lab.endpoints!.vpcs.find((v) => v.s3PolicyAccounts)!;
  return {
    id,
    says,
    appliesTo: (lab) => Boolean(lab.endpoints?.vpcs.some((v) => v.s3PolicyAccounts)),
    async breaks(lab) {
      return [{ id: 'E5', row: scoped(lab).vpc }];
    },
    async apply(lab, op) {
      const e = scoped(lab);
      const accounts = e.s3PolicyAccounts!.map((a) => lab.accountIds[a]!);
      const endpoint = await endpointOf(lab, op, e.vpc, 's3');
      await ec2(op, lab, e.vpc).send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: endpoint.VpcEndpointId,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements(accounts) }),
        }),
      );
    },
  };
}

export const s3PolicyLetsAnyoneWrite = s3EndpointPolicyDrift(
  'ep-s3-endpoint-policy-lets-anyone-write',
  'the S3 endpoint policy keeps reads to the lab account but lets anyone write',
  (accounts) => [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': accounts } },
    },
    { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' },
  ],
);

/** Stops data leaving for an outsider's bucket, but lets another account's credentials into the lab's. */
export const s3PolicyKeyedOnBucketAccount = s3EndpointPolicyDrift(
  'ep-s3-endpoint-policy-keyed-on-bucket-account',
  "the S3 endpoint policy admits any caller to the lab's buckets (keyed on the bucket's account, not the caller's)",
  (accounts) => [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 's3:ResourceAccount': accounts } },
    },
  ],
);
