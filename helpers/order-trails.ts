import type { AwsClients } from './clients.ts';
import { BlockedError, CannotTellError } from './errors.ts';
import { assumeRole } from './identities.ts';
import {
  type Order,
  type Published,
  publishOrder,
  type ReadOutcome,
  type Receipt,
  type ReceiptNaming,
  receiptKeyFrom,
  tryReading,
  waitForReceipt,
  waitForReceiptBySearch,
} from './receipts.ts';
import { recordForSweep } from './sweep.ts';

/**
 * The fruit pipeline's slow evidence, produced early and collected late:
 * each order is published before any check waits; its receipt is awaited,
 * then read as the runner (in this run's own session) and as the readers.
 * A stage whose input never came ends at once as blocked, naming the check
 * that failed (`D7 apple`), so one broken stage is one failure.
 */
export interface Pipeline {
  clients: AwsClients;
  region: string;
  runId: string;
  topicArn: string;
  bucket: string;
  naming: ReceiptNaming;
  receiptTimeoutMs: number;
  /** The runner as STS named it, and its role when it is a role session. */
  runner: { arn: string; roleArn?: string | undefined };
  readers: { role: string; arn: string }[];
}

export interface OrderTrail {
  published: Promise<Published>;
  receipt: Promise<Receipt>;
  asRunner: Promise<ReadOutcome>;
  asReaders: Promise<{ role: string; read: ReadOutcome }[]>;
}

/** Who the runner's reads are made as: a session whose name carries the run id, when AWS lets the runner make one. */
export interface RunnerSession {
  clients: AwsClients;
  /** The session's ARN, as CloudTrail names the caller; absent when the runner could not name a session. */
  sessionArn?: string;
  /** Why there is no run session (the runner is a user, or its role does not trust itself). */
  why?: string;
}

const memo = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    made.catch(() => undefined);
    return made;
  };
};

export class OrderTrails {
  private readonly trails = new Map<string, OrderTrail>();
  private readonly claimed = new Set<string>();
  readonly runnerSession: () => Promise<RunnerSession>;
  private readonly readerSessions: () => Promise<{ role: string; clients: AwsClients }[]>;

  constructor(private readonly p: Pipeline) {
    this.runnerSession = memo(() => runSessionOf(p));
    this.readerSessions = memo(() =>
      Promise.all(
        p.readers.map(async (r) => ({
          role: r.role,
          clients: await assumeRole(p.clients, r.arn, { region: p.region, runId: p.runId }),
        })),
      ),
    );
  }

  all(): OrderTrail[] {
    return [...this.trails.values()];
  }

  /** The trail of one order, started on first ask. */
  of(order: Order): OrderTrail {
    let trail = this.trails.get(order.name);
    if (trail) return trail;
    const published = publishOrder(this.p.clients, this.p.topicArn, order, this.p.runId).then(async (p) => {
      // A computed key is this run's from the moment the order is out: an interrupted run removes it
      // even if it never got to look for the receipt.
      if ('template' in this.p.naming)
        await recordForSweep({ bucket: this.p.bucket, key: this.keyOf(p) }, this.p.runId);
      return p;
    });
    const receipt = published.then(async (p) => {
      const found = await this.receiptOf(p);
      await recordForSweep(
        { bucket: this.p.bucket, key: found.key, versionId: found.versionId },
        this.p.runId,
      );
      return found;
    });
    const blocked = <T>(next: (r: Receipt) => Promise<T>) =>
      receipt.then(next, (error) => {
        throw new BlockedError(
          `D7 ${order.name}`,
          error instanceof CannotTellError
            ? `could not tell whether ${order.name} got a receipt`
            : `no receipt for ${order.name}`,
        );
      });
    const asRunner = blocked(async (r) =>
      tryReading((await this.runnerSession()).clients, this.p.bucket, r.key, 'the runner'),
    );
    const asReaders = blocked(async (r) =>
      Promise.all(
        (await this.readerSessions()).map(async ({ role, clients }) => ({
          role,
          read: await tryReading(clients, this.p.bucket, r.key, role),
        })),
      ),
    );
    for (const p of [published, receipt, asRunner, asReaders]) p.catch(() => undefined);
    trail = { published, receipt, asRunner, asReaders };
    this.trails.set(order.name, trail);
    return trail;
  }

  private keyOf(published: Published): string {
    const { naming } = this.p;
    return 'template' in naming
      ? receiptKeyFrom(naming.template, published.order, published.messageId, this.p.runId)
      : '';
  }

  private async receiptOf(published: Published): Promise<Receipt> {
    const { naming } = this.p;
    if ('template' in naming)
      return waitForReceipt(
        this.p.clients,
        this.p.bucket,
        this.keyOf(published),
        published,
        this.p.receiptTimeoutMs,
      );
    const [reader] = await this.readerSessions();
    if (!reader)
      throw new CannotTellError('receipts found by search need a reader in dataProtection.readers');
    return waitForReceiptBySearch(
      {
        lister: this.p.clients,
        reader: reader.clients,
        readerName: reader.role,
        bucket: this.p.bucket,
        prefix: naming.searchPrefix,
        runId: this.p.runId,
        claimed: this.claimed,
      },
      published,
      this.p.receiptTimeoutMs,
    );
  }

  /**
   * The receipts the runner was refused, once every try has ended: the
   * control event CloudTrail must show (D10). None refused ends at once:
   * blocked by D8 when the runner read them, by D7 when none arrived.
   */
  async runnerRefusals(): Promise<Receipt[]> {
    const tries = await Promise.allSettled(
      // The read first: when the receipt never came, its rejection is the BlockedError naming D7.
      this.all().map(async (t) => ({ read: await t.asRunner, receipt: await t.receipt })),
    );
    const done = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
    const refused = done.filter((t) => t.read.outcome === 'denied').map((t) => t.receipt);
    if (refused.length) return refused;
    if (done.some((t) => t.read.outcome === 'ok'))
      throw new BlockedError('D8', 'the runner read the receipts, so CloudTrail holds no refusal of it');
    const reasons = tries.flatMap((t) => (t.status === 'rejected' ? [t.reason] : []));
    if (reasons.length && reasons.every((r) => r instanceof BlockedError))
      throw new BlockedError('D7', 'no receipt arrived, so the runner never tried to read one');
    throw new CannotTellError(
      `the runner's reads of the receipts could not be made: ${reasons.map((r) => (r as Error).message).join('; ')}`,
    );
  }
}

/**
 * The runner's reads go through a session of its own role named after the
 * run (`meshcheck-<run id>`), so that CloudTrail's record of the refusal is
 * this run's and no other's. A role may assume itself when its trust policy
 * names the role or its account ("Update a role trust policy", IAM User
 * Guide: "To allow users to assume the current role again within a role
 * session, specify the role ARN or AWS account ARN as a principal").
 */
async function runSessionOf(p: Pipeline): Promise<RunnerSession> {
  const name = `meshcheck-${p.runId}`.slice(0, 64);
  if (p.runner.arn.endsWith(`/${name}`)) return { clients: p.clients, sessionArn: p.runner.arn };
  if (!p.runner.roleArn)
    return { clients: p.clients, why: `the runner ${p.runner.arn} is not a role session` };
  try {
    const clients = await assumeRole(p.clients, p.runner.roleArn, { region: p.region, runId: p.runId });
    const [, partition, , , account] = p.runner.roleArn.split(':');
    const role = p.runner.roleArn.split('/').pop();
    return { clients, sessionArn: `arn:${partition}:sts::${account}:assumed-role/${role}/${name}` };
  } catch (error) {
    if (error instanceof CannotTellError && error.kind === 'denied')
      return { clients: p.clients, why: `${p.runner.roleArn} may not assume itself (${error.message})` };
    throw error;
  }
}
