import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { refusedBy, sseConditionKeys, tryWrites, type WriteAttempt } from '../../helpers/bucket-writes.ts';
import { findDefaultEncryption, getBucketPolicy } from '../../helpers/data-protection.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { resourcePolicyGrantees, unintendedGrantees } from '../../helpers/grants.ts';
import { getKeyPolicy } from '../../helpers/kms.ts';
import { keyPolicyAllows, resourcePolicyDecision } from '../../helpers/policies.ts';
import { receiptKeyFrom, receiptNamingOf } from '../../helpers/receipts.ts';
import { check } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { dataProtectionContext } from './context.ts';

/**
 * Data protection, the receipt bucket: encrypted by default under the receipt
 * key (D5), and refusing receipts that are not (D6), tried live as the runner.
 */

const { account, dp, ids, keyArn, lab, region, skipWithout, who } = dataProtectionContext();

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
