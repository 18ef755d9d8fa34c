import { beforeEach, describe, expect, test } from 'vitest';
import type { CallerPosition, Credential } from '../../../../../twin/core/principal.ts';
import { servicePrefixList } from '../../../../../twin/network/prefix-lists.ts';
import { issueRoleSession } from '../../../../../twin/services/sts/sessions.ts';
import { allOut, LabBuilder, REGION } from '../../network/fixtures.ts';
import { A, B, doc, type Fixture, fixture, text } from '../fixtures.ts';

/**
 * Calls from inside a VPC through an S3 gateway endpoint: the gateway's
 * context applies the endpoint policy and sets aws:SourceVpce; S3 only
 * has to pass its requests through ctx.authorize.
 */
let f: Fixture;
let at: CallerPosition;
let vpceId: string;
const Bucket = 'endpoint-bucket';
const objects = `arn:aws:s3:::${Bucket}/*`;
const getObjects = { Effect: 'Allow', Action: 's3:GetObject', Resource: objects };

/** A session of the same role, running at `position` inside the lab. */
function inside(credential: Credential, position: CallerPosition): Credential {
  const p = credential.principal;
  if (p.kind !== 'assumed-role') throw new Error('a role session is needed');
  return issueRoleSession(f.twin, {
    roleArn: p.roleArn,
    roleId: p.userId.split(':')[0]!,
    sessionName: `${p.roleName}-in-vpc`,
    position,
  });
}

beforeEach(async () => {
  const lab = new LabBuilder();
  const vpc = lab.vpc('10.60.0.0/16');
  const subnet = lab.subnet(vpc, '10.60.1.0/24');
  const table = lab.routeTable(vpc, [subnet]);
  const eni = lab.instance(subnet, '10.60.1.10', [lab.securityGroup(vpc, [allOut])]).eni;
  const endpoint = lab.endpoint(vpc, 's3', {
    type: 'Gateway',
    routeTables: [table],
    policy: doc({
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': A } },
    }),
  });
  lab.route(table, servicePrefixList(REGION, 's3').id, { kind: 'gateway-endpoint', id: endpoint.id });
  vpceId = endpoint.id;
  at = {
    accountId: eni.ownerId,
    region: REGION,
    vpcId: vpc.id,
    subnetId: subnet.id,
    securityGroupIds: eni.securityGroupIds,
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
  };
  f = fixture(lab.twin);
  await f.s3('CreateBucket', { Bucket });
  await f.s3('PutObject', { Bucket, Key: 'report', Body: 'inside' });
});

describe('S3 through a gateway endpoint', () => {
  test('the endpoint policy admits principals of its account and refuses others the bucket would allow', async () => {
    await f.s3('PutBucketPolicy', {
      Bucket,
      Policy: doc({ ...getObjects, Principal: { AWS: `arn:aws:iam::${B}:root` } }),
    });
    const local = inside(await f.role(A, 'local-reader', getObjects), at);
    const foreign = inside(await f.role(B, 'foreign-reader', getObjects), at);
    expect(text(await f.s3('GetObject', { Bucket, Key: 'report' }, local))).toBe('inside');
    const error = await f.s3Error('GetObject', { Bucket, Key: 'report' }, foreign);
    expect([error.code, error.status]).toEqual(['AccessDenied', 403]);
    expect(error.message).toContain('because no VPC endpoint policy allows the s3:GetObject action');
  });

  test('a bucket policy on aws:SourceVpce admits calls through the endpoint and refuses the same role outside', async () => {
    await f.s3('PutBucketPolicy', {
      Bucket,
      Policy: doc({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: objects,
        Condition: { StringNotEquals: { 'aws:SourceVpce': vpceId } },
      }),
    });
    const outside = await f.role(A, 'reader', getObjects);
    expect(text(await f.s3('GetObject', { Bucket, Key: 'report' }, inside(outside, at)))).toBe('inside');
    expect((await f.s3Error('GetObject', { Bucket, Key: 'report' }, outside)).message).toContain(
      'with an explicit deny in a resource-based policy',
    );
  });
});
