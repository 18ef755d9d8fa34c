import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Attempt } from '../../probes/s3-reach/attempts.ts';
import { CannotTellError, reading } from '../errors.ts';
import {
  attemptSummary,
  type DeployedProbe,
  deleteProbe,
  deployedProbe,
  deployProbe,
  invokeProbe,
} from '../probe.ts';
import type { Lab } from '../targets/lab.ts';

/**
 * This run's own S3 object calls, for the trail to show as data events:
 * the probe of the first placement expected to reach S3 puts, gets and
 * deletes `meshcheck/<run id>/trail-data-events.txt`; without a probe in
 * targets, the runner does it itself (the evidence says which). The probe
 * is made for this run, tagged with it, and removed; the object is deleted
 * by the same lane that made it.
 */
export interface MadeObject {
  bucket: string;
  key: string;
  /** Who made the calls: `probe meshcheck-… in prod`, or `the runner (no probe in targets)`. */
  by: string;
}

export class RunObject {
  private deployed: DeployedProbe | undefined;
  readonly made: Promise<MadeObject>;

  private constructor(
    private readonly lab: Lab,
    readonly bucket: string,
  ) {
    this.made = this.make(bucket);
    this.made.catch(() => undefined);
  }

  /** The bucket the calls go to: the probe's, or the trail's first data-event bucket without a probe. */
  static bucketOf(lab: Lab): string | undefined {
    return lab.targets.endpoints?.probe?.bucket ?? lab.targets.observability?.trail?.dataEventBuckets[0];
  }

  /** Starts the calls now; undefined when there is no bucket to call. */
  static start(lab: Lab): RunObject | undefined {
    const bucket = RunObject.bucketOf(lab);
    return bucket ? new RunObject(lab, bucket) : undefined;
  }

  private key(): string {
    return `meshcheck/${this.lab.targets.runId}/trail-data-events.txt`;
  }

  private async make(bucket: string): Promise<MadeObject> {
    const probe = this.lab.targets.endpoints?.probe;
    const placement = probe?.placements.find((p) => p.expect.s3 === 'ok');
    if (!probe || !placement) return this.asRunner(bucket);
    const { ids, runId } = this.lab.targets;
    const where = {
      subnetIds: placement.subnets.map((s) => ids.subnet[s]!),
      securityGroupIds: placement.securityGroups.map((g) => ids.securityGroup[g]!),
    };
    const clients = this.lab.clients();
    const deployed = placement.deployed
      ? await deployedProbe(clients, ids.probeFunction[placement.name]!, where)
      : await deployProbe(clients, {
          placement: `obs-${placement.name}`,
          roleArn: ids.probeRoleArn!,
          ...where,
          runId,
        });
    if (!placement.deployed) this.deployed = deployed;
    const key = this.key();
    const lane = (a: Attempt): Attempt => ({ ...a, lane: 'object' });
    const attempts: Attempt[] = [
      lane({ name: 's3 put', kind: 's3', operation: 'PutObject', bucket, key, body: `meshcheck ${runId}` }),
      lane({ name: 's3 get', kind: 's3', operation: 'GetObject', bucket, key }),
      lane({ name: 's3 delete', kind: 's3', operation: 'DeleteObject', bucket, key }),
    ];
    const run = await invokeProbe(deployed, attempts, {
      connectMs: probe.attemptTimeoutMs,
      answerMs: probe.answerTimeoutMs,
    });
    const failed = run.report.results.filter((r) => r.name !== 's3 delete' && r.outcome !== 'ok');
    if (failed.length)
      throw new CannotTellError(
        `the probe in ${placement.name} could not make this run's object calls, so there is nothing to look for: ${failed.map(attemptSummary).join('; ')}`,
      );
    return { bucket, key, by: `probe ${deployed.functionName} in ${placement.name}` };
  }

  private async asRunner(bucket: string): Promise<MadeObject> {
    const { s3 } = this.lab.clients();
    const key = this.key();
    await reading(`put s3://${bucket}/${key}`, () =>
      s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: `meshcheck ${this.lab.targets.runId}` }),
      ),
    );
    await reading(`get s3://${bucket}/${key}`, async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await out.Body?.transformToString();
    });
    await reading(`delete s3://${bucket}/${key}`, () =>
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
    );
    return { bucket, key, by: 'the runner (no probe in targets)' };
  }

  /** Removes the probe made for this run; the object went with its own lane. */
  async cleanUp(): Promise<void> {
    await this.made.catch(() => undefined);
    if (this.deployed) await deleteProbe(this.deployed);
  }
}
