import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteFunctionCommand, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { sweepRunItems } from './application/reach.ts';
import type { AwsClients } from './clients.ts';
import { classify } from './errors.ts';
import { runId as currentRunId, RUN_TAG } from './run.ts';
import type { Targets } from './targets/index.ts';

/**
 * Removes what the suite created and tagged `meshcheck:run`: at the end of
 * a run (for its own run id, also after an interrupted run) and by
 * `meshcheck cleanup` for crashed runs (any run id, older than a bound).
 */
export interface SweepOptions {
  /** Only this run's resources; all runs' when absent. */
  runId?: string;
  /** Only resources older than this many ms. */
  olderThanMs?: number;
}

export interface Swept {
  kind: string;
  id: string;
  runId: string;
}

export async function sweepProbes(clients: AwsClients, options: SweepOptions = {}): Promise<Swept[]> {
  const swept: Swept[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListFunctionsCommand({ ...(marker && { Marker: marker }) }));
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName?.startsWith('meshcheck-') || !fn.FunctionArn) continue;
      const { Tags } = await clients.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }));
      const run = Tags?.[RUN_TAG];
      if (!run || (options.runId && run !== options.runId)) continue;
      if (
        options.olderThanMs &&
        fn.LastModified &&
        Date.now() - Date.parse(fn.LastModified) < options.olderThanMs
      )
        continue;
      await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName }));
      swept.push({ kind: 'lambda-function', id: fn.FunctionName, runId: run });
    }
    marker = page.NextMarker;
  } while (marker);
  return swept;
}

/**
 * Removes the run-scoped objects a run wrote under `meshcheck/<run>/` (the
 * probe's, and D6's tried writes), every version of them (the lab's buckets
 * are versioned).
 */
export async function sweepObjects(
  clients: AwsClients,
  bucket: string,
  options: SweepOptions = {},
): Promise<Swept[]> {
  const prefix = options.runId ? `meshcheck/${options.runId}/` : 'meshcheck/';
  const swept: Swept[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(keyMarker && { KeyMarker: keyMarker }),
        ...(versionMarker && { VersionIdMarker: versionMarker }),
      }),
    );
    const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter(
      (v) =>
        !options.olderThanMs ||
        !v.LastModified ||
        Date.now() - v.LastModified.getTime() >= options.olderThanMs,
    );
    if (versions.length) {
      await clients.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: versions.map((v) => ({ Key: v.Key!, VersionId: v.VersionId })), Quiet: true },
        }),
      );
      for (const v of versions)
        swept.push({
          kind: 's3-object',
          id: `s3://${bucket}/${v.Key}#${v.VersionId}`,
          runId: v.Key!.split('/')[1] ?? '',
        });
    }
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  } while (keyMarker);
  return swept;
}

/** The buckets a run may write run-scoped objects to: the probe's, and the receipt bucket D6 tries writes in. */
function runScopedBuckets(targets: Targets): string[] {
  const buckets = [targets.endpoints?.probe?.bucket, targets.dataProtection?.receiptBucket];
  return [...new Set(buckets.filter((b): b is string => Boolean(b)))];
}

/** Sweeps probes, run-scoped objects in every bucket the targets name, and the receipts runs caused; one run's or all runs'. */
export async function sweepAll(
  clients: AwsClients,
  targets: Targets,
  options: SweepOptions,
): Promise<Swept[]> {
  const swept = targets.endpoints?.probe ? await sweepProbes(clients, options) : [];
  for (const bucket of runScopedBuckets(targets))
    swept.push(...(await sweepObjects(clients, bucket, options)));
  const receiptBucket = targets.dataProtection?.receiptBucket;
  if (receiptBucket) swept.push(...(await sweepReceipts(clients, { ...options, buckets: [receiptBucket] })));
  // The item a probe stopped between its put and its delete left (S13).
  const dynamodb = targets.application?.dynamodb;
  if (dynamodb?.table)
    swept.push(
      ...(await sweepRunItems(clients, dynamodb.table, {
        ...options,
        placements: dynamodb.placements.map((p) => p.placement),
      })),
    );
  return swept;
}

/**
 * The receipts a run caused are the lab's objects, not named after the run,
 * and the runner may not read them: a run knows them only because it found
 * them. So the run records each receipt it found (key and version) in a
 * ledger on this machine, and the sweep removes exactly what a run
 * recorded — its own, never another run's. The ledger outlives a crashed
 * run, so `meshcheck cleanup` on the same machine removes its receipts too.
 */
export interface ReceiptRecord {
  bucket: string;
  key: string;
  versionId?: string | undefined;
}

function ledgerDir(): string {
  return process.env.MESHCHECK_LEDGER_DIR ?? join(tmpdir(), 'meshcheck-ledger');
}

/** Notes a receipt this run caused, for the run's sweep (one JSON line per receipt; appends from workers do not interleave). */
export async function recordForSweep(receipt: ReceiptRecord, runId = currentRunId()): Promise<void> {
  await mkdir(ledgerDir(), { recursive: true });
  await appendFile(
    join(ledgerDir(), `${runId}.jsonl`),
    `${JSON.stringify({ ...receipt, recordedAt: Date.now() })}\n`,
  );
}

async function ledgers(
  options: SweepOptions,
): Promise<{ runId: string; file: string; records: (ReceiptRecord & { recordedAt: number })[] }[]> {
  let files: string[];
  try {
    files = (await readdir(ledgerDir())).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out = [];
  for (const f of files) {
    const runId = f.slice(0, -'.jsonl'.length);
    if (options.runId && runId !== options.runId) continue;
    const file = join(ledgerDir(), f);
    const records = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ReceiptRecord & { recordedAt: number });
    if (options.olderThanMs && records.some((r) => Date.now() - r.recordedAt < options.olderThanMs!))
      continue;
    out.push({ runId, file, records });
  }
  return out;
}

/**
 * One delete per receipt: a key recorded when its order went out and again
 * with the version found is deleted by version only (a delete without one
 * would leave a delete marker in a versioned bucket).
 */
function once(records: ReceiptRecord[]): ReceiptRecord[] {
  const id = (r: ReceiptRecord) => `${r.bucket}/${r.key}`;
  const versioned = new Set(records.filter((r) => r.versionId).map(id));
  const seen = new Set<string>();
  return records.filter((r) => {
    if (!r.versionId && versioned.has(id(r))) return false;
    const key = `${id(r)}#${r.versionId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Removes the receipts runs recorded (this run's, or every crashed run's past the bound), version and all.
 * Only in `buckets` when given: a ledger entry of another lab (another account's bucket) stays for its own cleanup.
 */
export async function sweepReceipts(
  clients: AwsClients,
  options: SweepOptions & { buckets?: string[] } = {},
): Promise<Swept[]> {
  const swept: Swept[] = [];
  for (const ledger of await ledgers(options)) {
    const mine = (r: ReceiptRecord) => !options.buckets || options.buckets.includes(r.bucket);
    for (const r of once(ledger.records.filter(mine))) {
      try {
        await clients.s3.send(
          new DeleteObjectCommand({
            Bucket: r.bucket,
            Key: r.key,
            ...(r.versionId && { VersionId: r.versionId }),
          }),
        );
      } catch (error) {
        if (classify(error) !== 'not-found') throw error;
      }
      swept.push({
        kind: 's3-receipt',
        id: `s3://${r.bucket}/${r.key}${r.versionId ? `#${r.versionId}` : ''}`,
        runId: ledger.runId,
      });
    }
    const others = ledger.records.filter((r) => !mine(r));
    if (others.length) await writeFile(ledger.file, others.map((r) => `${JSON.stringify(r)}\n`).join(''));
    else await rm(ledger.file, { force: true });
  }
  return swept;
}
