import type { Credential } from '../../twin/core/principal.ts';
import { issueRoleSession } from '../../twin/services/sts/sessions.ts';
import { Twin, type TwinOptions } from '../../twin/twin.ts';
import { builderFor } from '../builder.ts';
import { ARCHIVE_ACCOUNT, LAB_ACCOUNT, REGION } from './accounts.ts';
import { buildApplication } from './application.ts';
import { buildAudit } from './audit.ts';
import { buildDataProtection } from './data-protection.ts';
import {
  buildHttpsOnlyGroup,
  buildLambdaSecurityGroup,
  buildProdEndpoints,
  servicePrefixList,
} from './endpoints.ts';
import { buildFlowLogs } from './flow-logs.ts';
import { buildCrossAccountRunner, buildInstanceRole, buildParticipantRole } from './identity.ts';
import {
  addSsmEndpoints,
  buildTransitGateway,
  buildVpc,
  labVpcs,
  launchHost,
  partnerVpc,
  peerWithPartner,
} from './network.ts';
import { buildPrivateLink } from './privatelink.ts';
import { buildAppBucket, buildProbeRole } from './storage.ts';

export interface ReferenceLab {
  twin: Twin;
  /** WSParticipantRole's session: the credentials meshcheck runs with. */
  runner: Credential;
}

/**
 * The reference lab of lab.md, built through the same operations an
 * operator would call. Its accounts are the lab (111111111111) and the log
 * archive (222222222222).
 */
export async function referenceLab(options: Omit<TwinOptions, 'accounts'> = {}): Promise<ReferenceLab> {
  const twin = new Twin({ ...options, accounts: [LAB_ACCOUNT, ARCHIVE_ACCOUNT] });
  const lab = builderFor(twin, LAB_ACCOUNT, REGION);
  const archive = builderFor(twin, ARCHIVE_ACCOUNT, REGION);

  const labProfile = await buildInstanceRole(lab);
  const archiveProfile = await buildInstanceRole(archive);
  const participant = await buildParticipantRole(lab);
  await buildCrossAccountRunner(archive, participant.arn);

  const vpcs = [];
  for (const spec of labVpcs) {
    const vpc = await buildVpc(lab, spec);
    await launchHost(lab, vpc, labProfile);
    await addSsmEndpoints(lab, vpc);
    vpcs.push(vpc);
  }
  const partner = await buildVpc(archive, partnerVpc);
  await launchHost(archive, partner, archiveProfile);
  await addSsmEndpoints(archive, partner);
  await buildTransitGateway(lab, vpcs);
  await peerWithPartner(lab, archive, vpcs.find((v) => v.spec.key === 'shared')!, partner);

  const prod = vpcs.find((v) => v.spec.key === 'prod')!;
  await buildProdEndpoints(lab, prod);
  const s3List = await servicePrefixList(lab, 's3');
  const dynamodbList = await servicePrefixList(lab, 'dynamodb');
  // The probe's group in Prod reaches both gateway endpoints it tries; the processor has a group of its
  // own, so that a change to one function's egress is not a change to the probe's.
  const probeGroup = await buildLambdaSecurityGroup(lab, prod, [s3List, dynamodbList]);
  await buildLambdaSecurityGroup(lab, vpcs.find((v) => v.spec.key === 'dev')!);
  const processorGroup = await buildHttpsOnlyGroup(lab, prod, {
    name: 'prod-processor',
    description: 'The receipt processor: HTTPS to S3 and the VPC endpoints only',
    prefixListIds: [s3List],
  });
  await buildPrivateLink(lab, {
    shared: vpcs.find((v) => v.spec.key === 'shared')!,
    prod,
    probeGroupId: probeGroup,
  });
  await buildAppBucket(lab);
  await buildProbeRole(lab);
  await buildAudit(lab);
  await buildFlowLogs(lab, archive, vpcs);
  await buildDataProtection(lab, {
    participantArn: participant.arn,
    prod,
    lambdaSecurityGroupId: processorGroup,
  });
  await buildApplication(lab, {
    prod,
    s3PrefixListId: s3List,
    dynamodbPrefixListId: dynamodbList,
    participantArn: participant.arn,
  });

  const runner = issueRoleSession(twin, {
    roleArn: participant.arn,
    roleId: participant.id,
    sessionName: 'meshcheck',
    neverExpires: true,
  });
  return { twin, runner };
}
