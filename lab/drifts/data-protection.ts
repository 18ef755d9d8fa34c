import { ListRolesCommand } from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { grantRow } from '../../helpers/targets/rows.ts';
import { pipelineStops } from './lab-view.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of the data-protection pipeline: key policies, topic, queue and
 * bucket settings. Each reads the current policy, changes the one statement
 * or setting it is about (found by what it grants, not by its Sid), and
 * writes it back through the public API.
 */
type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
type Policy = { Version: string; Statement: Statement[] };

const dp = (lab: ResolvedTargets) => lab.dataProtection!;
const has = (lab: ResolvedTargets) => Boolean(lab.dataProtection);
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
const principals = (s: Statement) => JSON.stringify(s.Principal ?? '');
const actions = (s: Statement) => list(s.Action);

const d4 = (alias: string, action: 'kms:Decrypt' | 'kms:GenerateDataKey'): Break => ({
  id: 'D4',
  row: grantRow(alias, action),
});

async function editKeyPolicy(
  lab: ResolvedTargets,
  op: Operator,
  alias: string,
  edit: (p: Policy) => void,
): Promise<void> {
  const kms = op.runner().kms;
  const keyId = lab.ids.key[alias]!;
  const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
  const policy = JSON.parse(Policy!) as Policy;
  edit(policy);
  await kms.send(
    new PutKeyPolicyCommand({
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify(policy),
      BypassPolicyLockoutSafetyCheck: true,
    }),
  );
}

export const snsDroppedFromEventsKey: Drift = {
  id: 'dp-events-key-drops-sns',
  says: 'the SNS service statement is dropped from the events key policy',
  appliesTo: has,
  async breaks(lab) {
    return [
      d4(dp(lab).eventsKey, 'kms:Decrypt'),
      d4(dp(lab).eventsKey, 'kms:GenerateDataKey'),
      ...pipelineStops(lab),
    ];
  },
  apply: (lab, op) =>
    editKeyPolicy(lab, op, dp(lab).eventsKey, (p) => {
      p.Statement = p.Statement.filter((s) => !principals(s).includes('sns.amazonaws.com'));
    }),
};

export const consumerDroppedFromEventsKey: Drift = {
  id: 'dp-events-key-drops-consumer',
  says: "the processor's Decrypt statement is dropped from the events key policy",
  appliesTo: (lab) => has(lab) && dp(lab).pipelineRoles.length > 0,
  async breaks(lab) {
    return [d4(dp(lab).eventsKey, 'kms:Decrypt'), ...pipelineStops(lab), { id: 'D11' }];
  },
  apply: (lab, op) =>
    editKeyPolicy(lab, op, dp(lab).eventsKey, (p) => {
      const processor = lab.ids.role[dp(lab).pipelineRoles[0]!]!;
      p.Statement = p.Statement.filter((s) => !principals(s).includes(processor));
    }),
};

/** A root grant hands the key to IAM (D3) and to principals targets do not name: any the account's IAM allows (D4). */
const delegationBreaks = (lab: ResolvedTargets): Break[] => [
  { id: 'D3', row: dp(lab).receiptKey },
  d4(dp(lab).receiptKey, 'kms:Decrypt'),
  d4(dp(lab).receiptKey, 'kms:GenerateDataKey'),
];

/** A drift that adds a statement delegating the receipt key to the lab account's IAM (its root). */
function receiptKeyDelegated(
  id: string,
  says: string,
  statement: (lab: ResolvedTargets) => Omit<Statement, 'Effect' | 'Principal' | 'Resource'>,
): Drift {
  return {
    id,
    says,
    appliesTo: has,
    breaks: async (lab) => delegationBreaks(lab),
    apply: (lab, op) =>
      editKeyPolicy(lab, op, dp(lab).receiptKey, (p) => {
        p.Statement.push({
          ...statement(lab),
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${lab.accountIds.lab}:root` },
          Resource: '*',
        });
      }),
  };
}

export const rootStatementAdded = receiptKeyDelegated(
  'dp-receipt-key-delegates-to-iam',
  'the "Enable IAM User Permissions" root statement is added to the receipt key policy',
  () => ({ Sid: 'Enable IAM User Permissions', Action: 'kms:*' }),
);

export const runnerMayDecryptReceipts: Drift = {
  id: 'dp-runner-may-decrypt-receipts',
  says: "the runner's role is added to the receipt key's users",
  appliesTo: (lab) => has(lab) && Boolean(lab.runner.roleArn),
  async breaks(lab) {
    return [
      d4(dp(lab).receiptKey, 'kms:Decrypt'),
      d4(dp(lab).receiptKey, 'kms:GenerateDataKey'),
      // D10 and D11 are then blocked by D8 (no refusal to find): errors naming it, not failures.
      ...dp(lab).orders.map((o) => ({ id: 'D8', row: o.name })),
    ];
  },
  apply: (lab, op) =>
    editKeyPolicy(lab, op, dp(lab).receiptKey, (p) => {
      p.Statement.push({
        Sid: 'AlsoTheRunner',
        Effect: 'Allow',
        Principal: { AWS: lab.runner.roleArn },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
      });
    }),
};

export const processorLosesGenerateDataKey: Drift = {
  id: 'dp-processor-loses-generate-data-key',
  says: 'the processor may no longer make data keys with the receipt key',
  appliesTo: (lab) => has(lab) && dp(lab).pipelineRoles.length > 0,
  async breaks(lab) {
    return [d4(dp(lab).receiptKey, 'kms:GenerateDataKey'), ...pipelineStops(lab), { id: 'D11' }];
  },
  apply: (lab, op) =>
    editKeyPolicy(lab, op, dp(lab).receiptKey, (p) => {
      const processor = lab.ids.role[dp(lab).pipelineRoles[0]!]!;
      for (const s of p.Statement.filter((x) => principals(x).includes(processor)))
        s.Action = actions(s).filter((a) => !a.startsWith('kms:GenerateDataKey'));
    }),
};

export const bucketDefaultSseS3: Drift = {
  id: 'dp-receipt-bucket-default-sse-s3',
  says: "the receipt bucket's default encryption is switched to SSE-S3",
  appliesTo: has,
  async breaks() {
    return [{ id: 'D5' }];
  },
  async apply(lab, op) {
    await op('lab').s3.send(
      new PutBucketEncryptionCommand({
        Bucket: dp(lab).receiptBucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
  },
};

export const bucketKeyConditionDropped: Drift = {
  id: 'dp-receipt-bucket-accepts-any-key',
  says: "the receipt bucket policy's deny for other keys is dropped",
  appliesTo: has,
  async breaks() {
    return [{ id: 'D6' }];
  },
  async apply(lab, op) {
    const { s3 } = op('lab');
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: dp(lab).receiptBucket }));
    const policy = JSON.parse(Policy!) as Policy;
    policy.Statement = policy.Statement.filter(
      (s) => !JSON.stringify(s.Condition ?? {}).includes('aws-kms-key-id'),
    );
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: dp(lab).receiptBucket, Policy: JSON.stringify(policy) }),
    );
  },
};

const withoutTlsDeny = (policy: Policy) => ({
  ...policy,
  Statement: policy.Statement.filter(
    (s) => !JSON.stringify(s.Condition ?? {}).includes('aws:SecureTransport'),
  ),
});

export const queueTlsDenyRemoved: Drift = {
  id: 'dp-queue-tls-deny-removed',
  says: 'the TLS deny is removed from the queue policy',
  appliesTo: has,
  async breaks() {
    return [{ id: 'D2' }];
  },
  async apply(lab, op) {
    const { sqs } = op('lab');
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: lab.ids.queueUrl, AttributeNames: ['Policy'] }),
    );
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: lab.ids.queueUrl,
        Attributes: { Policy: JSON.stringify(withoutTlsDeny(JSON.parse(Attributes!.Policy!))) },
      }),
    );
  },
};

export const topicTlsDenyRemoved: Drift = {
  id: 'dp-topic-tls-deny-removed',
  says: 'the TLS deny is removed from the topic policy',
  appliesTo: has,
  async breaks() {
    return [{ id: 'D1' }];
  },
  async apply(lab, op) {
    const { sns } = op('lab');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: lab.ids.topicArn }));
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: lab.ids.topicArn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify(withoutTlsDeny(JSON.parse(Attributes!.Policy!))),
      }),
    );
  },
};

export const topicUnencrypted: Drift = {
  id: 'dp-topic-unencrypted',
  says: 'encryption is turned off on the topic',
  appliesTo: has,
  async breaks() {
    return [{ id: 'D1' }];
  },
  async apply(lab, op) {
    await op('lab').sns.send(
      new SetTopicAttributesCommand({
        TopicArn: lab.ids.topicArn,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: '',
      }),
    );
  },
};

/** Roles of the lab account that targets do not name for `alias`'s `grant`, nor the runner's: sorted by name. */
async function unnamedRoles(
  lab: ResolvedTargets,
  op: Operator,
  alias: string,
  grant: 'decrypt' | 'generateDataKey',
): Promise<string[]> {
  const key = dp(lab).keys.find((k) => k.alias === alias);
  const named = new Set(
    [...(key?.[grant].allow ?? []), ...(key?.[grant].deny ?? [])]
      .filter((r) => r.startsWith('role:'))
      .map((r) => lab.ids.role[r.slice(5)]),
  );
  const roles = [];
  let Marker: string | undefined;
  do {
    const page = await op('lab').iam.send(new ListRolesCommand({ Marker }));
    roles.push(...(page.Roles ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return roles
    .filter(
      (r) => !named.has(r.Arn) && r.Arn !== lab.runner.roleArn && !r.Path?.startsWith('/aws-service-role/'),
    )
    .map((r) => r.Arn!)
    .sort();
}

export const receiptKeyDecryptForAnotherRole: Drift = {
  id: 'dp-receipt-key-decrypt-for-another-role',
  says: 'the receipt key policy lets one more existing role of the lab decrypt',
  appliesTo: (lab) => has(lab) && dp(lab).keys.some((k) => k.alias === dp(lab).receiptKey),
  async breaks(lab) {
    return [d4(dp(lab).receiptKey, 'kms:Decrypt')];
  },
  async apply(lab, op) {
    const [other] = await unnamedRoles(lab, op, dp(lab).receiptKey, 'decrypt');
    if (!other) throw new Error('the lab has no role that targets leave unnamed for the receipt key');
    await editKeyPolicy(lab, op, dp(lab).receiptKey, (p) => {
      p.Statement.push({
        Sid: 'AlsoReads',
        Effect: 'Allow',
        Principal: { AWS: other },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
    });
  },
};

export const receiptKeyDelegatesViaS3 = receiptKeyDelegated(
  'dp-receipt-key-delegates-via-s3',
  'a root statement narrowed to calls through S3 (kms:ViaService) is added to the receipt key policy',
  (lab) => ({
    Sid: 'Enable IAM User Permissions Through S3',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    Condition: { StringEquals: { 'kms:ViaService': `s3.${lab.region}.amazonaws.com` } },
  }),
);

export const queueAdmitsTheAccount: Drift = {
  id: 'dp-queue-admits-the-account',
  says: "the queue policy also lets the lab account's principals send",
  appliesTo: has,
  async breaks() {
    return [{ id: 'D2' }];
  },
  async apply(lab, op) {
    const { sqs } = op('lab');
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: lab.ids.queueUrl, AttributeNames: ['Policy', 'QueueArn'] }),
    );
    const policy = JSON.parse(Attributes!.Policy!) as Policy;
    policy.Statement.push({
      Sid: 'AccountSends',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${lab.accountIds.lab}:root` },
      Action: 'sqs:SendMessage',
    });
    (policy.Statement.at(-1) as Statement & { Resource: string }).Resource = Attributes!.QueueArn!;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: lab.ids.queueUrl,
        Attributes: { Policy: JSON.stringify(policy) },
      }),
    );
  },
};

export const bucketKeyDenyOnlyForWriter: Drift = {
  id: 'dp-receipt-bucket-key-deny-only-for-writer',
  says: "the receipt bucket's deny for other keys is narrowed to the receipt writer's role",
  appliesTo: (lab) => has(lab) && dp(lab).pipelineRoles.length > 0,
  async breaks() {
    return [{ id: 'D6' }];
  },
  async apply(lab, op) {
    const { s3 } = op('lab');
    const writer = lab.ids.role[dp(lab).pipelineRoles[0]!]!;
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: dp(lab).receiptBucket }));
    const policy = JSON.parse(Policy!) as Policy;
    for (const s of policy.Statement)
      if (s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes('aws-kms-key-id'))
        s.Principal = { AWS: writer };
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: dp(lab).receiptBucket, Policy: JSON.stringify(policy) }),
    );
  },
};

export const dataProtectionDrifts: Drift[] = [
  snsDroppedFromEventsKey,
  consumerDroppedFromEventsKey,
  rootStatementAdded,
  runnerMayDecryptReceipts,
  processorLosesGenerateDataKey,
  bucketDefaultSseS3,
  bucketKeyConditionDropped,
  queueTlsDenyRemoved,
  topicTlsDenyRemoved,
  topicUnencrypted,
  receiptKeyDecryptForAnotherRole,
  receiptKeyDelegatesViaS3,
  queueAdmitsTheAccount,
  bucketKeyDenyOnlyForWriter,
];
