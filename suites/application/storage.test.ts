import { describe } from 'vitest';
import {
  bucketEncryptionDiffs,
  encryptionDiffs,
  getPointInTimeRecovery,
  getTable,
  getTableEncryption,
  tableDiffs,
  tableShape,
} from '../../helpers/application/storage.ts';
import { judgeBucketPolicy } from '../../helpers/application/storage-policy.ts';
import { findDefaultEncryption, getBucketPolicy } from '../../helpers/data-protection.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { getBucketProtection } from '../../helpers/observability/trail.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { applicationContext } from './context.ts';

/**
 * The application's storage, by configuration: its tables (keys, billing,
 * encryption, point-in-time recovery) and its buckets (public access,
 * versions, default encryption, and a policy that is evaluated).
 */
const { lab, tables, buckets, account, who, keyArn } = applicationContext();
const eachTable = eachRow(tables, 'no application.tables in targets', (t) => t.name);
const eachBucket = eachRow(buckets, 'no application.buckets in targets', (b) => b.name);
const phase4 = (item: string) => seed('mesh', `PHASE 4 — S3 buckets: ${item}`);

describe.concurrent('S · The application tables are as the lab intends', { tags: ['config'] }, () => {
  eachTable(
    { id: 'S5', seed: seed('mesh', 'PHASE 7 — DynamoDB: Create table (PK EventID, SK Timestamp)') },
    '$name exists, ACTIVE, with the intended key schema and billing',
    async (t, { expect, annotate }) => {
      const table = await getTable(lab.clients(), t.name);
      const diffs = tableDiffs(t, table);
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', tableShape(table));
      expect(diffs, `${t.name}`).toEqual([]);
    },
  );

  eachTable(
    { id: 'S6', seed: seed('mesh', 'Post-lab validation 3 — DynamoDB Validation') },
    '$name is encrypted and keeps point-in-time recovery as intended',
    async (t, { expect, annotate }) => {
      const clients = lab.clients();
      const [table, pitr] = await Promise.all([
        getTable(clients, t.name),
        getPointInTimeRecovery(clients, t.name),
      ]);
      const encryption = await getTableEncryption(clients, table);
      const diffs = [
        ...encryptionDiffs(t.encryption, encryption, keyArn),
        ...(t.pointInTimeRecovery === undefined || (pitr === 'ENABLED') === t.pointInTimeRecovery
          ? []
          : [`point-in-time recovery ${pitr}, not ${t.pointInTimeRecovery ? 'ENABLED' : 'DISABLED'}`]),
      ];
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        encryption,
        pointInTimeRecovery: pitr,
        sseDescription: table.SSEDescription ?? null,
      });
      expect(diffs, `${t.name}`).toEqual([]);
    },
  );
});

describe.concurrent('S · The application buckets are as the lab intends', { tags: ['config'] }, () => {
  eachBucket(
    { id: 'S7', seed: phase4('Block public access') },
    '$name blocks public access (all four settings)',
    async (b, { expect, annotate }) => {
      const { publicAccessBlock } = await getBucketProtection(lab.clients(), b.name);
      const off = Object.entries(publicAccessBlock)
        .filter(([, on]) => !on)
        .map(([flag]) => flag);
      await attachEvidence(
        annotate,
        'config',
        off.length ? `${off.join(', ')} off` : 'blocked',
        publicAccessBlock,
      );
      expect(off, `${b.name} Block Public Access settings that are off`).toEqual([]);
    },
  );

  eachBucket(
    { id: 'S8', seed: phase4('Enable versioning; Enable encryption (SSE-S3)') },
    '$name keeps versions and encrypts by default as intended',
    async (b, { expect, annotate }) => {
      const clients = lab.clients();
      const [{ versioning }, rule] = await Promise.all([
        getBucketProtection(clients, b.name),
        findDefaultEncryption(clients, b.name),
      ]);
      const encryption = await bucketEncryptionDiffs(clients, b.name, b.encryption, rule, keyArn);
      await attachEvidence(annotate, 'config', [`versioning ${versioning}`, ...encryption].join('; '), {
        versioning,
        rule: rule ?? null,
      });
      // "Suspended" keeps the versions made so far but makes no new ones (S3 User Guide, "Using versioning").
      expect(versioning === 'Enabled', `${b.name} versioning is ${versioning}`).toBe(b.versioning);
      expect(encryption, `${b.name} default encryption`).toEqual([]);
    },
  );

  eachBucket(
    { id: 'S9', seed: seed('mesh', 'PHASE 4 — Second bucket: add CloudTrail write policy') },
    "$name's policy, evaluated, refuses plain HTTP where intended and admits exactly the intended principals",
    async (b, { expect, annotate }) => {
      const policy = await getBucketPolicy(lab.clients(), b.name);
      const judged = judgeBucketPolicy(policy, {
        bucket: b.name,
        account,
        tlsOnly: b.tlsOnly,
        admits: b.admits.map(who),
        insiders: [who('runner'), who(`role:${UNNAMED_ROLE}`)],
      });
      const lines = [
        ...judged.plainHttp.map((l) => `without TLS: ${l}`),
        ...judged.notAdmitted.map((l) => `not admitted: ${l}`),
        ...judged.strangers.map((l) => `also admits ${l}`),
      ];
      await attachEvidence(annotate, 'config', lines.join('; ') || 'as intended', { ...judged, policy });
      expect(judged.plainHttp, `${b.name}'s policy lets these through without TLS`).toEqual([]);
      expect(judged.notAdmitted, `${b.name}'s policy keeps out`).toEqual([]);
      expect(judged.strangers, `${b.name}'s policy lets in`).toEqual([]);
    },
  );
});

/** A role nobody named, standing for any principal of the account whose IAM policies allow the action. */
const UNNAMED_ROLE = 'meshcheck-unnamed';
