import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { clientsFor } from '../../helpers/clients.ts';
import { replaceProcessor, searchingTargets } from '../../lab/fruit-named/index.ts';
import { LAB_ACCOUNT, REGION } from '../../lab/reference/accounts.ts';
import { receiptBucket } from '../../lab/reference/data-protection.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv, type ValidateRun } from './support/validate.ts';

/**
 * The fruit pipeline's evidence is this run's own and earned: receipts found
 * for any naming a lab chooses, read as values, tied to the run that caused
 * them and removed by it; one broken stage is one failure.
 */
let lab: ReferenceTwin;
let example: Record<string, unknown>;
beforeAll(async () => {
  lab = await serveReferenceLab();
  example = JSON.parse(await readFile(join(ROOT, 'targets.example.json'), 'utf8'));
});
afterAll(() => lab.server.close());
beforeEach(() => lab.server.reset());

async function targetsFile(file: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'meshcheck-receipts-')), 'targets.json');
  await writeFile(path, JSON.stringify(file));
  return path;
}
const dataProtectionOnly = ['--only', 'data-protection'];
const validate = (targets: string) =>
  runValidate(['--targets', targets, ...dataProtectionOnly], twinEnv(lab.server.endpoint, lab.runner()));
const notPassing = (run: ValidateRun) =>
  run.results!.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
const evidenceOf = (run: ValidateRun, id: string, row?: string) =>
  (
    run.results!.tests.find((t) => t.id === id && (row === undefined || t.row === row)) as
      | { evidence?: { value: unknown }[] }
      | undefined
  )?.evidence?.[0]?.value;

async function receiptsLeft(): Promise<string[]> {
  const root = rootCredential(LAB_ACCOUNT);
  const { s3 } = clientsFor({
    region: REGION,
    endpoint: lab.server.endpoint,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: receiptBucket(LAB_ACCOUNT) }));
  return (Contents ?? []).map((c) => c.Key!);
}

describe('receipts, end to end against the twin', () => {
  test('a processor that names receipts after the fruit and the queue’s message id validates, found by search', async ({
    expect,
  }) => {
    await replaceProcessor(lab.server.endpoint, 'fruit-and-queue-id');
    const run = await validate(
      await targetsFile(searchingTargets(example, { receipt: 60, cloudTrail: 120 })),
    );
    expect(
      notPassing(run).map((t) => `${t.name}: ${t.message}`),
      run.stderr.slice(-1500),
    ).toEqual([]);
    expect(run.code).toBe(0);
    expect(evidenceOf(run, 'D7', 'apple')).toMatchObject({
      receiptKey: expect.stringMatching(/^receipts\/apple-.+\.json$/),
      matchedBy: 'reference',
    });
    expect(await receiptsLeft(), 'the run removes the receipts it caused').toEqual([]);
  });

  test('a processor that writes no receipt fails D7 once per fruit; what needed receipts is blocked by it, at once', async ({
    expect,
  }) => {
    await replaceProcessor(lab.server.endpoint, 'none');
    const file = structuredClone(example) as { dataProtection: Record<string, unknown> };
    Object.assign(file.dataProtection, { receiptTimeoutSeconds: 15 });
    const started = Date.now();
    const run = await validate(await targetsFile(file));
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.stderr.slice(-1500)).toBe(1);
    const fruits = (example.dataProtection as { orders: { name: string }[] }).orders.length;
    const bad = notPassing(run);
    expect(bad.filter((t) => t.verdict === 'fail').map((t) => t.id)).toEqual(Array(fruits).fill('D7'));
    const errors = bad.filter((t) => t.verdict === 'error');
    expect(errors.map((t) => t.id).sort()).toEqual(
      [...Array(fruits).fill('D8'), ...Array(fruits).fill('D9'), 'D10', 'D11'].sort(),
    );
    for (const e of errors) {
      expect(e.errorType, e.name).toBe('BlockedError');
      expect(e.message, e.name).toMatch(/ — see D7\b/);
    }
    // D10 and D11 do not wait out CloudTrail's 20 minutes for a refusal that cannot come.
    expect(seconds, 'the run ends within the receipt bound plus a minute').toBeLessThan(15 + 60);
  });

  test('a receipt with the wrong quantity fails D9, though the right digits appear in it', async ({
    expect,
  }) => {
    await replaceProcessor(lab.server.endpoint, 'wrong-quantity');
    const run = await validate(join(ROOT, 'targets.example.json'));
    expect(run.code, run.stderr.slice(-1500)).toBe(1);
    const bad = notPassing(run);
    expect([...new Set(bad.map((t) => `${t.id} ${t.verdict}`))]).toEqual(['D9 fail']);
    expect(bad.find((t) => t.id === 'D9' && t.row === 'apple')?.message).toContain(
      'its quantity is 4, not 3',
    );
  });

  test('CloudTrail throttled past every retry makes D10 and D11 errors (exit 3), never passes', async ({
    expect,
  }) => {
    const faults = (spec: object) =>
      fetch(`${lab.server.endpoint}/_twin/faults`, { method: 'PUT', body: JSON.stringify(spec) });
    await faults({
      rate: 1,
      kinds: ['throttle'],
      services: ['cloudtrail'],
      operations: ['LookupEvents'],
      persistence: 'every-attempt',
    });
    try {
      const file = structuredClone(example) as { dataProtection: Record<string, unknown> };
      Object.assign(file.dataProtection, { cloudTrailTimeoutSeconds: 15 });
      const run = await validate(await targetsFile(file));
      const bad = notPassing(run);
      expect(bad.map((t) => `${t.id} ${t.verdict}`).sort(), run.stderr.slice(-1500)).toEqual([
        'D10 error',
        'D11 error',
      ]);
      for (const t of bad) expect(t.message, t.name).toMatch(/CloudTrail|refusal/);
      expect(run.code).toBe(3);
    } finally {
      await faults({ rate: 0, kinds: [] });
    }
  });

  test('two validates at once against one twin both pass, each with only its own evidence', async ({
    expect,
  }) => {
    const targets = join(ROOT, 'targets.example.json');
    const runs = await Promise.all([validate(targets), validate(targets)]);
    for (const run of runs) {
      expect(
        notPassing(run).map((t) => `${t.name}: ${t.message}`),
        run.stderr.slice(-1500),
      ).toEqual([]);
      expect(run.code).toBe(0);
    }
    const callers = runs.map(
      (run) => new Set((evidenceOf(run, 'D10') as { principalArn: string }[]).map((d) => d.principalArn)),
    );
    for (const c of callers) expect(c.size, 'one session per run').toBe(1);
    expect([...callers[0]!][0]).toMatch(/assumed-role\/WSParticipantRole\/meshcheck-mc-/);
    expect([...callers[0]!][0], 'each run finds only its own refusals').not.toBe([...callers[1]!][0]);
    const keys = runs.map((run) =>
      (
        run.results!.tests.filter((t) => t.id === 'D7') as {
          evidence?: { value: { receiptKey: string } }[];
        }[]
      ).map((t) => t.evidence![0]!.value.receiptKey),
    );
    expect(
      keys[0]!.filter((k) => keys[1]!.includes(k)),
      'no receipt claimed by both',
    ).toEqual([]);
    expect(await receiptsLeft(), 'each run removed its own receipts').toEqual([]);
  });
});
