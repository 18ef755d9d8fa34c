import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { clientsFor } from '../../../helpers/clients.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { rootCredential } from '../../../twin/twin.ts';
import type { ReferenceTwin } from './reference-twin.ts';

/**
 * What a run of the reference lab's targets may leave behind, looked at
 * through the public API as the lab's operator: probe functions, objects
 * under the run's prefix in the probe and receipt buckets, Lambda ENIs.
 */
const LAB = '111111111111';

/** The probe bucket and the receipt bucket of targets.example.json. */
const BUCKETS = ['cloud-app-data', 'dap351-receipts-111111111111'];

export interface Leftovers {
  functions: string[];
  versions: string[];
  enis: string[];
}

function operator(lab: ReferenceTwin) {
  const root = rootCredential(LAB);
  return clientsFor({
    region: 'us-east-1',
    endpoint: lab.server.endpoint,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
}

export async function listLeftovers(lab: ReferenceTwin, runId = ''): Promise<Leftovers> {
  const { lambda, s3, ec2 } = operator(lab);
  const functions = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? [])
    .map((f) => f.FunctionName!)
    .filter((n) => n.startsWith('meshcheck-'));
  const versions: string[] = [];
  for (const bucket of BUCKETS) {
    const objects = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `meshcheck/${runId ? `${runId}/` : ''}` }),
    );
    versions.push(
      ...[...(objects.Versions ?? []), ...(objects.DeleteMarkers ?? [])].map(
        (v) => `${bucket}/${v.Key}#${v.VersionId}`,
      ),
    );
  }
  const enis =
    (
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'interface-type', Values: ['lambda'] }] }),
      )
    ).NetworkInterfaces ?? [];
  return { functions, versions, enis: enis.map((e) => e.NetworkInterfaceId!) };
}

/**
 * Lambda releases a deleted function's ENIs a while later (aws-fidelity.md); wait for that, bounded.
 * ENIs the lab's own functions held before the run stay: Lambda shares an ENI among functions with the
 * same subnet and security groups, so a probe placed beside the lab's consumer reuses the consumer's.
 */
export async function waitForNoLeftovers(
  lab: ReferenceTwin,
  before: string[],
  runId = '',
): Promise<Leftovers> {
  const left = await eventually(
    'no probe functions, objects or new Lambda ENIs left',
    () => listLeftovers(lab, runId),
    {
      timeoutMs: 30_000,
      until: (l) => !l.functions.length && !l.versions.length && l.enis.every((e) => before.includes(e)),
    },
  );
  return { ...left, enis: left.enis.filter((e) => !before.includes(e)) };
}

/** A clean lab, and the Lambda ENIs its own functions hold. */
export async function cleanLab(lab: ReferenceTwin): Promise<string[]> {
  await lab.server.reset();
  return (await listLeftovers(lab)).enis;
}
