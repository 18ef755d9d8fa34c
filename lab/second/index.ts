import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { type AwsClients, clientsFor } from '../../helpers/clients.ts';
import { buildApplication, EVENTS_TABLE, RECORDER } from './application.ts';
import { buildFlowLogs, buildTrail } from './audit.ts';
import { buildLedger, ledgerBucket } from './data-protection.ts';
import { buildPaymentsEndpoints, buildProbeSupport, functionGroup, s3PrefixListId } from './endpoints.ts';
import { buildAuditRole, buildNodeProfile } from './identity.ts';
import { buildMesh, buildSpoke, spokes } from './network.ts';
import { buildLedgerApi } from './privatelink.ts';

/**
 * The second lab: the reference lab's pattern with different everything —
 * region, ranges, topology, names, keys, policies' wording and fruit —
 * built on an empty twin through the SDK only, as its operator would with
 * the account's administrator credentials. Its targets are `targets.json`
 * beside this file; the two are written independently and must agree.
 */
export const SECOND_LAB_REGION = 'eu-west-1';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function buildSecondLab(
  endpoint: string,
  accountId: string,
  admin: Credentials,
): Promise<{ runnerRoleArn: string; ciBot: Credentials }> {
  const clients: AwsClients = clientsFor({ region: SECOND_LAB_REGION, endpoint, credentials: admin });
  const profile = await buildNodeProfile(clients);
  const { roleArn: runnerRoleArn, ciBot } = await buildAuditRole(clients, accountId, {
    writer: RECORDER,
    table: EVENTS_TABLE,
  });
  const built = [];
  for (const spec of spokes) built.push(await buildSpoke(clients, spec, profile));
  await buildMesh(clients, built);

  const payments = built.find((b) => b.spec.key === 'payments')!;
  const sandbox = built.find((b) => b.spec.key === 'sandbox')!;
  const analytics = built.find((b) => b.spec.key === 'analytics')!;
  await buildPaymentsEndpoints(clients, accountId, payments);
  const paymentsFunctions = await functionGroup(clients, payments, {
    prefixList: await s3PrefixListId(clients),
    groupId: payments.endpointGroupId,
  });
  await functionGroup(clients, sandbox, { anywhere: true });
  await buildProbeSupport(clients, `ops-scratch-${accountId}`);
  await buildLedger(clients, accountId, {
    runnerArn: runnerRoleArn,
    payments,
    functionGroupId: paymentsFunctions,
  });
  await buildApplication(clients, accountId, { runnerArn: runnerRoleArn, analytics });
  await buildLedgerApi(clients, {
    core: built.find((b) => b.spec.key === 'core')!,
    payments,
    analytics,
    region: SECOND_LAB_REGION,
  });
  await buildTrail(clients, accountId, ledgerBucket(accountId));
  await buildFlowLogs(clients, accountId, { vpcId: payments.vpcId, subnetId: sandbox.subnetIds[0]! });
  return { runnerRoleArn, ciBot };
}

/** A session of the second lab's runner role, started by its CI user as a nightly job would. */
export async function runnerSession(
  endpoint: string,
  ciBot: Credentials,
  runnerRoleArn: string,
): Promise<Credentials> {
  const { sts } = clientsFor({ region: SECOND_LAB_REGION, endpoint, credentials: ciBot });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: runnerRoleArn, RoleSessionName: 'nightly' }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken!,
  };
}
