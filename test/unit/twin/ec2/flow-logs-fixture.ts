import type { AwsError } from '../../../../twin/core/errors.ts';
import type { Credential } from '../../../../twin/core/principal.ts';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { logs } from '../../../../twin/services/logs/api.ts';
import { s3 } from '../../../../twin/services/s3/api.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, doc, type Fixture, fixture as kmsFixture, REGION } from '../kms/fixtures.ts';

export { A, B, doc, REGION } from '../kms/fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read outputs field by field
type Output = any;

/** The bucket policy the VPC User Guide gives for flow logs ("Amazon S3 bucket policy for flow logs"). */
export function flowLogBucketPolicy(
  bucket: string,
  sourceAccount: string,
  prefix = '',
  region = REGION,
): string {
  const condition = {
    StringEquals: { 'aws:SourceAccount': sourceAccount },
    ArnLike: { 'aws:SourceArn': `arn:aws:logs:${region}:${sourceAccount}:*` },
  };
  return doc(
    {
      Sid: 'AWSLogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/${prefix}AWSLogs/${sourceAccount}/*`,
      Condition: {
        ...condition,
        StringEquals: { ...condition.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    },
    {
      Sid: 'AWSLogDeliveryAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: condition,
    },
  );
}

/** The trust policy and permissions of the VPC User Guide's flow-log role ("IAM role for publishing flow logs to CloudWatch Logs"). */
export const FLOW_LOG_TRUST = doc({
  Effect: 'Allow',
  Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
  Action: 'sts:AssumeRole',
});
export const FLOW_LOG_PERMISSIONS = doc({
  Effect: 'Allow',
  Action: [
    'logs:CreateLogGroup',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'logs:DescribeLogGroups',
    'logs:DescribeLogStreams',
  ],
  Resource: '*',
});

export interface FlowLogFixture extends Fixture {
  ec2(op: string, input: object, as?: Credential): Promise<Output>;
  ec2Error(op: string, input: object, as?: Credential): Promise<AwsError>;
  s3(op: string, input: object, as?: Credential): Promise<Output>;
  logs(op: string, input: object, as?: Credential): Promise<Output>;
  /** A VPC with one subnet in `account`. */
  vpc(account?: string, cidr?: string): Promise<{ vpcId: string; subnetId: string }>;
  /** A role `name` in `account` that vpc-flow-logs.amazonaws.com may assume, with `permissions`. */
  deliveryRole(name: string, permissions?: string, account?: string): Promise<string>;
  /** A bucket in `owner` whose policy lets flow logs of `sourceAccount` deliver (under `prefix`, e.g. `vpc/`). */
  flowLogBucket(bucket: string, owner: string, sourceAccount: string, prefix?: string): Promise<void>;
}

export function flowLogFixture(): FlowLogFixture {
  const f = kmsFixture();
  const t: FlowLogFixture = {
    ...f,
    ec2: (op, input, as) => f.call(ec2, op, input, as),
    async ec2Error(op, input, as) {
      try {
        await t.ec2(op, input, as);
      } catch (error) {
        return error as AwsError;
      }
      throw new Error(`${op} succeeded`);
    },
    s3: (op, input, as) => f.call(s3, op, input, as),
    logs: (op, input, as) => f.call(logs, op, input, as),
    async vpc(account = A, cidr = '10.40.0.0/16') {
      const root = rootCredential(account);
      const { Vpc } = await t.ec2('CreateVpc', { CidrBlock: cidr }, root);
      const { Subnet } = await t.ec2(
        'CreateSubnet',
        { VpcId: Vpc.VpcId, CidrBlock: cidr.replace('0.0/16', '1.0/24') },
        root,
      );
      return { vpcId: Vpc.VpcId, subnetId: Subnet.SubnetId };
    },
    async deliveryRole(name, permissions = FLOW_LOG_PERMISSIONS, account = A) {
      const root = rootCredential(account);
      const { Role } = await f.call<Output>(
        iam,
        'CreateRole',
        { RoleName: name, AssumeRolePolicyDocument: FLOW_LOG_TRUST },
        root,
      );
      await f.call(
        iam,
        'PutRolePolicy',
        { RoleName: name, PolicyName: 'deliver', PolicyDocument: permissions },
        root,
      );
      return Role.Arn as string;
    },
    async flowLogBucket(bucket, owner, sourceAccount, prefix = '') {
      const root = rootCredential(owner);
      await t.s3('CreateBucket', { Bucket: bucket }, root);
      await t.s3(
        'PutBucketPolicy',
        { Bucket: bucket, Policy: flowLogBucketPolicy(bucket, sourceAccount, prefix) },
        root,
      );
    },
  };
  return t;
}
