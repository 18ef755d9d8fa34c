import { describe } from 'vitest';
import { getQueueProtection, getTopicProtection } from '../../helpers/data-protection.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  describeGrantee,
  type Grantee,
  keyPolicyGrantees,
  resourcePolicyGrantees,
  unintendedGrantees,
} from '../../helpers/grants.ts';
import { getKeyPolicy } from '../../helpers/kms.ts';
import { keyPolicyAllows, keyPolicyDelegatesToIam, resourcePolicyDecision } from '../../helpers/policies.ts';
import { grantRow } from '../../helpers/targets/rows.ts';
import { check, eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { dataProtectionContext } from './context.ts';

/**
 * Data protection, configuration: the topic and the queue are encrypted and
 * refuse plain transport (D1, D2); the key policies grant exactly what the
 * lab intends (D3, D4), evaluated for every principal they can name.
 */

const { account, dp, ids, keyArn, lab, region, skipWithout, who } = dataProtectionContext();

/** The same service acting for another account's resource (ARNs rewritten to account 000000000000). */
const FOREIGN = '000000000000';
const foreignContext = (context: Record<string, string | boolean>) => ({
  ...context,
  'aws:SourceAccount': FOREIGN,
  ...(typeof context['aws:SourceArn'] === 'string' && {
    'aws:SourceArn': context['aws:SourceArn'].replace(`:${account}:`, `:${FOREIGN}:`),
  }),
});

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
