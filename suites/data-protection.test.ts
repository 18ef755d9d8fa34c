import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { describe, inject } from 'vitest';
import { refusedBy, sseConditionKeys, tryWrites, type WriteAttempt } from '../helpers/bucket-writes.ts';
import { lookupEvents } from '../helpers/cloudtrail.ts';
import {
  findDefaultEncryption,
  getBucketPolicy,
  getQueueProtection,
  getTopicProtection,
} from '../helpers/data-protection.ts';
import { CannotTellError } from '../helpers/errors.ts';
import { attachEvidence } from '../helpers/evidence.ts';
import {
  describeGrantee,
  type Grantee,
  keyPolicyGrantees,
  resourcePolicyGrantees,
  unintendedGrantees,
} from '../helpers/grants.ts';
import {
  controlProblem,
  type DenialEvidence,
  listGenerateDataKeys,
  noControl,
  type RunControl,
  refusalsOf,
  waitForRunDenial,
} from '../helpers/key-denials.ts';
import { getKeyPolicy } from '../helpers/kms.ts';
import { OrderTrails } from '../helpers/order-trails.ts';
import {
  keyPolicyAllows,
  keyPolicyDelegatesToIam,
  namedPrincipal,
  resourcePolicyDecision,
} from '../helpers/policies.ts';
import { type Order, receiptDiscrepancies, receiptKeyFrom, receiptNamingOf } from '../helpers/receipts.ts';
import { Lab } from '../helpers/targets/lab.ts';
import { grantRow } from '../helpers/targets/rows.ts';
import { check, eachRow } from './setup/rows.ts';
import { seed } from './setup/seeds.ts';

const lab = new Lab(inject('targets'));
const dp = lab.targets.dataProtection;
const { ids, runner, region } = lab.targets;
const account = lab.targets.accountIds.lab!;
const sourceArns = { 'sns.amazonaws.com': ids.topicArn ?? '' };
const who = (ref: string) =>
  namedPrincipal(ref, { accountId: account, runner, roleArns: ids.role, sourceArns });
/** The same service acting for another account's resource (ARNs rewritten to account 000000000000). */
const FOREIGN = '000000000000';
const foreignContext = (context: Record<string, string | boolean>) => ({
  ...context,
  'aws:SourceAccount': FOREIGN,
  ...(typeof context['aws:SourceArn'] === 'string' && {
    'aws:SourceArn': context['aws:SourceArn'].replace(`:${account}:`, `:${FOREIGN}:`),
  }),
});
const keyArn = (alias: string) => ids.key[alias]!;
const skipWithout = (skip: (note: string) => never) => {
  if (!dp) skip('no dataProtection in targets');
};

describe.concurrent('D · The topic and the queue are encrypted and refuse plain transport', {
  tags: ['config'],
}, () => {
  check(
    {
      id: 'D1',
      seed: seed(
        'dataProtection',
        'Module 2 Step 2: Configure SNS topic to use KMS-CMK; Module 3 Step 2: Encrypting SNS traffic',
      ),
    },
    `the topic is encrypted with the events key and refuses publishing without TLS`,
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      const topic = await getTopicProtection(lab.clients(), ids.topicArn!);
      const plain = resourcePolicyDecision(topic.policy, {
        who: who('runner'),
        action: 'sns:Publish',
        resource: ids.topicArn!,
        resourceAccount: account,
        context: { 'aws:SecureTransport': false },
      });
      await attachEvidence(
        annotate,
        'config',
        `key ${topic.keyAsNamed ?? 'none'}; plain HTTP ${plain.explicitDeny ? 'refused' : 'not refused'}`,
        { ...topic, plainHttp: plain },
      );
      expect(topic.keyArn, `${dp!.topic} must be encrypted with ${dp!.eventsKey}`).toBe(
        keyArn(dp!.eventsKey),
      );
      expect(
        plain.explicitDeny,
        `${dp!.topic}'s policy must deny sns:Publish when aws:SecureTransport is false`,
      ).toBe(true);
    },
  );

  check(
    {
      id: 'D2',
      seed: seed(
        'dataProtection',
        'Module 2 Step 2: Configure SQS to use KMS-CMK; Module 3 Step 1: Forcing SQS encryption',
      ),
    },
    `the queue is encrypted with the events key, fed by the topic only, and refuses non-TLS access`,
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      const queue = await getQueueProtection(lab.clients(), ids.queueUrl!);
      const queueArn = `arn:aws:sqs:${region}:${account}:${dp!.queue}`;
      const sns = who('service:sns.amazonaws.com');
      const decide = (action: string, context: Record<string, string | boolean>, as = who('runner')) =>
        resourcePolicyDecision(queue.policy, {
          who: as,
          action,
          resource: queueArn,
          resourceAccount: account,
          context,
        });
      const verdicts = {
        fromTheTopic: decide(
          'sqs:SendMessage',
          { 'aws:SourceArn': ids.topicArn!, 'aws:SecureTransport': true },
          sns,
        ).allowed,
        fromAnotherTopic: decide(
          'sqs:SendMessage',
          { 'aws:SourceArn': `${ids.topicArn}-not-this-one`, 'aws:SecureTransport': true },
          sns,
        ).allowed,
        plainSend: decide('sqs:SendMessage', { 'aws:SecureTransport': false }).explicitDeny,
        plainReceive: decide('sqs:ReceiveMessage', { 'aws:SecureTransport': false }).explicitDeny,
      };
      // "By the topic only": whoever else the policy lets send, under any conditions a caller could meet.
      const fromTheTopic = (g: Grantee) =>
        g.kind === 'service' &&
        g.label === 'sns.amazonaws.com' &&
        g.context['aws:SourceArn'] === ids.topicArn;
      const others = unintendedGrantees(
        resourcePolicyGrantees(queue.policy, {
          action: 'sqs:SendMessage',
          resource: queueArn,
          resourceAccount: account,
        }),
        [],
        fromTheTopic,
      );
      await attachEvidence(
        annotate,
        'config',
        `key ${queue.keyAsNamed ?? 'none'}${others.length ? `; also sending: ${others.join('; ')}` : ''}`,
        { ...queue, verdicts, othersSending: others },
      );
      expect(queue.keyArn, `${dp!.queue} must be encrypted with ${dp!.eventsKey}`).toBe(
        keyArn(dp!.eventsKey),
      );
      expect(verdicts, `${dp!.queue}'s policy, evaluated`).toEqual({
        fromTheTopic: true,
        fromAnotherTopic: false,
        plainSend: true,
        plainReceive: true,
      });
      expect(others, `${dp!.queue}'s policy lets others than ${ids.topicArn} send`).toEqual([]);
    },
  );
});

const keyRows = (dp?.keys ?? []).map((k) => ({ ...k, key: k.alias }));
const grantRows = (dp?.keys ?? []).flatMap((k) =>
  (['decrypt', 'generateDataKey'] as const)
    .filter((g) => k[g].allow.length + k[g].deny.length > 0)
    .map((g) => ({
      key: k.alias,
      action: g === 'decrypt' ? 'kms:Decrypt' : 'kms:GenerateDataKey',
      grant: k[g],
    })),
);

describe.concurrent('D · Key policies grant exactly what the lab intends', { tags: ['config'] }, () => {
  eachRow(keyRows, 'no keys in dataProtection.keys', (row) => row.alias)(
    {
      id: 'D3',
      seed: seed(
        'dataProtection',
        'Module 2 Step 1: remove the default portion that enables IAM User Permissions from the key policy',
      ),
    },
    '$key does not hand its use to IAM policies (no root statement)',
    async (row, { expect, annotate }) => {
      const policy = await getKeyPolicy(lab.clients(), keyArn(row.alias));
      const delegates = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:PutKeyPolicy'].flatMap((a) => {
        const delegation = keyPolicyDelegatesToIam(policy, keyArn(row.alias), a);
        return delegation ? [`${a} to ${describeGrantee(delegation)}`] : [];
      });
      await attachEvidence(
        annotate,
        'config',
        delegates.length ? `delegates ${delegates.join('; ')}` : 'no delegation to IAM',
        { policy, delegates },
      );
      expect(delegates, `${row.alias}: actions any IAM-allowed principal of the account gets`).toEqual([]);
    },
  );

  eachRow(grantRows, 'no grants in dataProtection.keys', (row) => grantRow(row.key, row.action))(
    {
      id: 'D4',
      seed: seed(
        'dataProtection',
        'Module 2 Steps 4, 5 and 7: modify the KMS policies to allow SNS, the consumer and the readers',
      ),
    },
    '$key lets exactly the intended principals $action',
    async (row, { expect, annotate }) => {
      const arn = keyArn(row.key);
      const policy = await getKeyPolicy(lab.clients(), arn);
      const seen = [
        ...row.grant.allow.map((p) => ({ p, want: true })),
        ...row.grant.deny.map((p) => ({ p, want: false })),
      ].map(({ p, want }) => ({
        principal: p,
        want,
        ...keyPolicyAllows(policy, arn, who(p), row.action),
      }));
      // A service must be confined to this account: the same service acting for another account is refused.
      const foreign = row.grant.allow
        .filter((p) => p.startsWith('service:'))
        .map((p) => ({
          principal: `${p} for another account`,
          want: false,
          ...keyPolicyAllows(policy, arn, { ...who(p), context: foreignContext(who(p).context) }, row.action),
        }));
      const all = [...seen, ...foreign];
      // "Exactly": everyone else the policy can grant, evaluated under the conditions a caller could meet.
      const others = unintendedGrantees(keyPolicyGrantees(policy, arn, row.action), row.grant.allow.map(who));
      await attachEvidence(
        annotate,
        'config',
        [
          ...all.map((s) => `${s.principal}: ${s.allowed ? 'allowed' : 'refused'}`),
          ...others.map((o) => `also allowed: ${o}`),
        ].join('; '),
        { policy, verdicts: all, othersAllowed: others },
      );
      expect(
        all
          .filter((s) => s.allowed !== s.want)
          .map((s) => `${s.principal} is ${s.allowed ? 'allowed' : 'refused'} ${row.action}`),
        `${row.key}, evaluated`,
      ).toEqual([]);
      expect(others, `${row.key} lets principals targets do not allow ${row.action}`).toEqual([]);
    },
  );
});

describe.concurrent('D · The receipt bucket encrypts under the receipt key by default', {
  tags: ['config'],
}, () => {
  check(
    { id: 'D5', seed: seed('dataProtection', 'Module 2 Step 7: Apply encryption to S3') },
    'the receipt bucket defaults to SSE-KMS with the receipt key and a bucket key',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      const rule = await findDefaultEncryption(lab.clients(), dp!.receiptBucket);
      await attachEvidence(
        annotate,
        'config',
        `${rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'none'}`,
        rule ?? null,
      );
      const named = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
      expect(
        rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
        `${dp!.receiptBucket} default encryption`,
      ).toBe('aws:kms');
      expect(
        [named, named && ids.key[named]].includes(keyArn(dp!.receiptKey)),
        `${dp!.receiptBucket} default key ${named} must be ${dp!.receiptKey}`,
      ).toBe(true);
      expect(rule?.BucketKeyEnabled, `${dp!.receiptBucket} bucket key`).toBe(true);
    },
  );
});

describe('D · The receipt bucket refuses receipts not encrypted under the receipt key', {
  tags: ['live', 'creates'],
}, () => {
  // The writes the bucket must refuse: evaluated against its policy and tried for real.
  const writes: WriteAttempt[] = [
    ['no encryption header', {}],
    ['SSE-S3', { ServerSideEncryption: 'AES256' }],
    [
      'SSE-KMS naming the key by alias',
      { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: dp?.receiptKey ?? '' },
    ],
  ];

  check(
    {
      id: 'D6',
      seed: seed(
        'dataProtection',
        'Module 3 Step 3: S3 encryption in transit (refuse writes not under the key)',
      ),
    },
    'PutObject without SSE-KMS, with SSE-S3, or naming the key by alias is refused',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      // The bucket policy, evaluated for everyone who could write: the receipt writer, the runner, any
      // principal of the account its IAM lets write, and whoever else the policy grants PutObject.
      const writer = who(dp!.pipelineRoles[0] ? `role:${dp!.pipelineRoles[0]}` : 'runner');
      const policy = await getBucketPolicy(lab.clients(), dp!.receiptBucket);
      const naming = receiptNamingOf(dp!);
      const sample =
        'template' in naming
          ? receiptKeyFrom(naming.template, dp!.orders[0]!, 'check', 'check')
          : `${naming.searchPrefix}check`;
      const object = `arn:aws:s3:::${dp!.receiptBucket}/${sample}`;
      const request = (headers: Partial<PutObjectCommandInput>) => ({
        action: 's3:PutObject',
        resource: object,
        resourceAccount: account,
        context: sseConditionKeys(headers),
      });
      const writers = [
        ...new Map([writer, who('runner'), who(`role:${UNNAMED_ROLE}`)].map((w) => [w.ref, w])).values(),
      ];
      const letThrough = (headers: Partial<PutObjectCommandInput>) => [
        ...writers
          .filter((w) => resourcePolicyDecision(policy, { who: w, ...request(headers) }).allowed)
          .map((w) =>
            w.ref === `role:${UNNAMED_ROLE}` ? 'any principal of the account its IAM lets write' : w.ref,
          ),
        ...unintendedGrantees(resourcePolicyGrantees(policy, request(headers)), []),
      ];
      const evaluated = writes.map(([label, headers]) => ({ label, letThrough: letThrough(headers) }));
      const right = resourcePolicyDecision(policy, {
        who: writer,
        ...request({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn(dp!.receiptKey) }),
      });
      // And tried for real, as the runner; a refusal is the bucket's only where KMS would not have refused.
      const live = await tryLiveWrites(writes);
      await attachEvidence(
        annotate,
        'config',
        evaluated
          .map(
            (e) =>
              `${e.label}: ${e.letThrough.length ? `let through for ${e.letThrough.join(', ')}` : 'refused'}`,
          )
          .join('; '),
        { writer: writer.ref, evaluated, rightKeyRefused: right.explicitDeny, live },
      );
      expect(
        evaluated.filter((e) => e.letThrough.length).map((e) => `${e.label}: ${e.letThrough.join(', ')}`),
        `${dp!.receiptBucket}'s policy must refuse these writes by anyone`,
      ).toEqual([]);
      expect(
        right.explicitDeny,
        `${dp!.receiptBucket}'s policy must not refuse SSE-KMS under ${dp!.receiptKey}'s ARN`,
      ).toBe(false);
      expect(
        live.filter((r) => r.outcome.startsWith('landed')).map((r) => r.label),
        `${dp!.receiptBucket} accepted these writes`,
      ).toEqual([]);
    },
  );
});

/** A role nobody named, standing for any principal of the account whose IAM policies allow the action. */
const UNNAMED_ROLE = 'meshcheck-unnamed';

/** The D6 writes tried as the runner, each refusal attributed to the bucket policy or to KMS. */
async function tryLiveWrites(
  writes: WriteAttempt[],
): Promise<{ label: string; outcome: string; key?: string }[]> {
  const clients = lab.clients();
  const rule = await findDefaultEncryption(clients, dp!.receiptBucket);
  const tried = await tryWrites(clients, dp!.receiptBucket, lab.targets.runId, writes, rule);
  const runner = who('runner');
  // S3 asks KMS for the data key as the caller, via S3 ("kms:ViaService").
  const viaS3 = { ...runner, context: { ...runner.context, 'kms:ViaService': `s3.${region}.amazonaws.com` } };
  return Promise.all(
    tried.map(async (t) => {
      const arn = t.key && (ids.key[t.key] ?? (t.key.startsWith('arn:') ? t.key : undefined));
      // A key policy the runner may not read leaves "unknown": the refusal then counts for nobody, and
      // the evaluated half carries the check — never a pass on a guess.
      const policy =
        t.key && !t.landed && arn ? await getKeyPolicy(clients, arn).catch(() => undefined) : undefined;
      const mayUse =
        policy === undefined
          ? undefined
          : keyPolicyAllows(policy, arn!, viaS3, 'kms:GenerateDataKey').allowed;
      return { label: t.label, outcome: refusedBy(t, mayUse), ...(t.key && { key: t.key }) };
    }),
  );
}

/** Slow evidence, produced early and collected late: every order is published before any test waits. */
const started = new Date(Date.now() - 60_000);
const pipeline =
  dp &&
  new OrderTrails({
    clients: lab.clients(),
    region,
    runId: lab.targets.runId,
    topicArn: ids.topicArn!,
    bucket: dp.receiptBucket,
    naming: receiptNamingOf(dp),
    receiptTimeoutMs: dp.receiptTimeoutSeconds * 1000,
    runner,
    readers: dp.readers.map((role) => ({ role, arn: ids.role[role]! })),
  });
for (const order of dp?.orders ?? []) pipeline!.of(order);
const trailOf = (order: Order) => pipeline!.of(order);

const orderRows = (dp?.orders ?? []).map((o) => ({ ...o, fruit: o.name }));

describe.concurrent('D · Orders flow through the encrypted pipeline, and only the readers can read receipts', {
  tags: ['live'],
}, () => {
  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    { id: 'D7', seed: seed('dataProtection', 'Module 2 Step 8: Validate flow with encryption at rest') },
    '$fruit: the order gets a receipt encrypted under the receipt key',
    async (order, { expect, annotate }) => {
      const published = await trailOf(order).published;
      const receipt = await trailOf(order).receipt;
      await attachEvidence(
        annotate,
        'receipt',
        `${order.name}: ${receipt.key} after ${(receipt.afterMs / 1000).toFixed(1)} s`,
        {
          fruit: order.name,
          messageId: published.messageId,
          receiptKey: receipt.key,
          matchedBy: receipt.matchedBy,
          encryption: receipt.serverSideEncryption,
          kmsKeyId: receipt.kmsKeyId,
          timeToReceiptMs: receipt.afterMs,
        },
      );
      expect(receipt.serverSideEncryption, `${receipt.key} encryption`).toBe('aws:kms');
      expect(receipt.kmsKeyId, `${receipt.key} must be under ${dp!.receiptKey}`).toBe(keyArn(dp!.receiptKey));
    },
  );

  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    {
      id: 'D8',
      seed: seed('dataProtection', 'Module 2 Step 8: the participant role cannot open the new file'),
    },
    '$fruit: the runner cannot read the receipt',
    async (order, { expect, annotate }) => {
      const read = await trailOf(order).asRunner;
      const receipt = await trailOf(order).receipt;
      const as = await pipeline!.runnerSession();
      await attachEvidence(annotate, 'receipt', `runner: ${read.outcome}`, {
        fruit: order.name,
        receiptKey: receipt.key,
        runner: as.sessionArn ?? lab.targets.runner.arn,
        read: read.outcome === 'ok' ? 'read it' : read,
      });
      expect(read.outcome, `${lab.targets.runner.arn} must not read ${receipt.key}`).toBe('denied');
    },
  );

  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    {
      id: 'D9',
      seed: seed('dataProtection', 'Module 2 Step 8: Switch to the finance role to view the file'),
    },
    '$fruit: the readers read the receipt, and it says what was ordered',
    async (order, { expect, annotate, skip }) => {
      if (!dp!.readers.length) return skip('no dataProtection.readers in targets');
      const reads = await trailOf(order).asReaders;
      const receipt = await trailOf(order).receipt;
      const verdicts = reads.map(({ role, read }) => ({
        role,
        outcome: read.outcome,
        wrong: read.outcome === 'ok' ? receiptDiscrepancies(read.body, order) : [],
      }));
      await attachEvidence(annotate, 'receipt', reads.map((r) => `${r.role}: ${r.read.outcome}`).join('; '), {
        fruit: order.name,
        receiptKey: receipt.key,
        reads,
        verdicts,
      });
      for (const { role, outcome, wrong } of verdicts) {
        expect(outcome, `${role} must read ${receipt.key}`).toBe('ok');
        expect(wrong, `${receipt.key} must say ${order.quantity} × ${order.name} at ${order.price}`).toEqual(
          [],
        );
      }
    },
  );
});

/** This run's own refusal in CloudTrail: D10's evidence, and the control every absence below leans on. */
let runDenial: Promise<DenialEvidence> | undefined;
function waitForThisRunsDenial(): Promise<DenialEvidence> {
  runDenial ??= (async () => {
    const refused = await pipeline!.runnerRefusals();
    const session = await pipeline!.runnerSession();
    const control: RunControl = {
      keyArn: keyArn(dp!.receiptKey),
      sessionArn: session.sessionArn,
      objectArns: refused.map((r) => `arn:aws:s3:::${dp!.receiptBucket}/${r.key}`),
    };
    const problem = controlProblem(
      control,
      refused.some((r) => r.bucketKeyEnabled),
      session.why,
    );
    if (problem) throw new CannotTellError(problem);
    return waitForRunDenial(lab.clients(), control, {
      start: started,
      timeoutMs: dp!.cloudTrailTimeoutSeconds * 1000,
    });
  })();
  runDenial.catch(() => undefined);
  return runDenial;
}

describe.concurrent('D · CloudTrail records who was refused the keys', { tags: ['delivery'] }, () => {
  check(
    {
      id: 'D10',
      seed: seed(
        'dataProtection',
        'Module 2 Additional troubleshooting: CloudTrail event history shows Decrypt refused',
      ),
    },
    'CloudTrail shows the runner refused Decrypt on the receipt key',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      const { denials } = await waitForThisRunsDenial();
      await attachEvidence(
        annotate,
        'cloudtrail',
        `${denials.length} denials: ${denials.map((d) => d.id).join(', ')}`,
        denials,
      );
      expect(denials.length).toBeGreaterThan(0);
    },
  );

  check(
    {
      id: 'D11',
      seed: seed('dataProtection', 'Module 2 Step 6: Validate flow with SNS and SQS encryption at rest'),
    },
    'CloudTrail shows no KMS denial for the pipeline’s roles during the run',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      if (!dp!.pipelineRoles.length) return skip('no dataProtection.pipelineRoles in targets');
      const roles = new Map(dp!.pipelineRoles.map((r) => [ids.role[r]!, r]));
      const control = await waitForThisRunsDenial().then(
        (found) => ({ found }),
        (error: unknown) => ({ missing: noControl(error) }),
      );
      // A refusal found is a failure with or without the control; only "none" needs it.
      // Without the control the look-up is one try, bounded by a minute: the verdict is an error unless it finds a refusal.
      const bound = { boundMs: 'found' in control ? dp!.cloudTrailTimeoutSeconds * 1000 : 60_000 };
      const events = [
        ...('found' in control
          ? control.found.decrypts
          : await lookupEvents(lab.clients(), 'Decrypt', started, bound)),
        ...(await listGenerateDataKeys(lab.clients(), started, bound)),
      ];
      const refused = refusalsOf(events, new Set(roles.keys()));
      await attachEvidence(annotate, 'cloudtrail', `${refused.length} refusals of pipeline roles`, {
        looked: events.length,
        control: 'found' in control ? control.found.denials.map((d) => d.id) : control.missing.message,
        refused,
      });
      expect(
        refused.map(
          (e) =>
            `${roles.get(e.roleArn!)} was refused ${e.name} on ${e.resources.join(', ') || 'a key'} (${e.errorCode}, event ${e.id})`,
        ),
        'the pipeline’s roles must be able to use their keys',
      ).toEqual([]);
      if ('missing' in control) throw control.missing;
    },
  );
});
