import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients.ts';
import { CannotTellError, cannotTell, classify } from '../errors.ts';

/**
 * S17: one read a matrix refuses, tried for real as a role the runner may
 * assume. Only IAM's refusal counts: AWS answers AccessDenied (S3) or
 * AccessDeniedException (DynamoDB) with "… is not authorized to perform …"
 * ("Troubleshooting access denied error messages"). A missing resource
 * proves nothing — S3 even answers a GetObject of a missing key with 403
 * AccessDenied to a caller without s3:ListBucket (API Reference, GetObject,
 * "Permissions") — so the resource is first seen to exist, as the runner:
 * this run's positive control.
 */
export interface RefusedReadTry {
  /** `refused`: IAM said no; `allowed`: the read succeeded. */
  outcome: 'refused' | 'allowed';
  /** The error as AWS gave it (name and message), for the report. */
  answer: string;
}

interface Read {
  /** Sees that the resource exists (the runner's look). */
  exists(c: AwsClients): Promise<unknown>;
  /** The read itself. */
  read(c: AwsClients): Promise<unknown>;
}

function s3Target(resource: string): { bucket: string; key?: string } {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)(?:\/(.+))?$/.exec(resource);
  if (!m) throw new CannotTellError(`${resource} is not an S3 bucket or object ARN`);
  return { bucket: m[1]!, ...(m[2] !== undefined && { key: m[2] }) };
}

function tableName(resource: string): string {
  const m = /^arn:aws[\w-]*:dynamodb:[^:]*:\d{12}:table\/([^/]+)$/.exec(resource);
  if (!m) throw new CannotTellError(`${resource} is not a DynamoDB table ARN`);
  return m[1]!;
}

/** The reads S17 knows how to try, by IAM action (lower case). */
const READS: Record<string, (resource: string) => Read> = {
  's3:getobject': (resource) => {
    const { bucket, key } = s3Target(resource);
    if (!key || /[*?]/.test(key)) throw new CannotTellError(`s3:GetObject needs one object, not ${resource}`);
    return {
      exists: (c) => c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      read: async (c) => {
        const out = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      },
    };
  },
  's3:listbucket': (resource) => {
    const { bucket } = s3Target(resource);
    return {
      exists: (c) => c.s3.send(new HeadBucketCommand({ Bucket: bucket })),
      read: (c) => c.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 })),
    };
  },
  'dynamodb:describetable': (resource) => {
    const TableName = tableName(resource);
    const exists = (c: AwsClients) => c.dynamodb.send(new DescribeTableCommand({ TableName }));
    return { exists, read: exists };
  },
  'dynamodb:scan': (resource) => {
    const TableName = tableName(resource);
    return {
      exists: (c) => c.dynamodb.send(new DescribeTableCommand({ TableName })),
      read: (c) => c.dynamodb.send(new ScanCommand({ TableName, Limit: 1 })),
    };
  },
};

/** The actions S17 can try. */
export const TRIABLE_READS = Object.keys(READS);

/**
 * Tries `action` on `resource` as `as`, after the runner saw the resource.
 * Refused by IAM → `refused`; the read succeeding → `allowed`; a missing
 * resource or any other answer → CannotTellError.
 *
 * @example
 *   await tryRefusedRead({ runner: lab.clients(), as: operator, action: 's3:GetObject',
 *     resource: 'arn:aws:s3:::orders-data/try.json', who: 'AuditorRole' });
 */
export async function tryRefusedRead(input: {
  runner: AwsClients;
  as: AwsClients;
  action: string;
  resource: string;
  who: string;
}): Promise<RefusedReadTry> {
  const make = READS[input.action.toLowerCase()];
  if (!make)
    throw new CannotTellError(`cannot try ${input.action} for real (S17 tries ${TRIABLE_READS.join(', ')})`);
  const read = make(input.resource);
  try {
    await read.exists(input.runner);
  } catch (error) {
    if (classify(error) === 'not-found')
      throw new CannotTellError(
        `${input.resource} does not exist: a refusal of ${input.action} on it would prove nothing (the lab must hold it for this try)`,
        'not-found',
      );
    throw cannotTell(`see that ${input.resource} exists, as the runner`, error);
  }
  try {
    await read.read(input.as);
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (classify(error) === 'denied') return { outcome: 'refused', answer: `${e.name}: ${e.message}` };
    throw cannotTell(`try ${input.action} on ${input.resource} as ${input.who}`, error);
  }
  return { outcome: 'allowed', answer: `${input.action} succeeded` };
}
