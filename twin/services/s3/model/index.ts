import { type Twin, worldPart } from '../../../twin.ts';
import type { BucketState } from './state.ts';

export type * from './state.ts';

/**
 * Bucket names are global: "a bucket name must be unique across all AWS
 * accounts in all the AWS Regions within a partition" (S3 User Guide,
 * "General purpose bucket naming rules"). The index maps each name to the
 * bucket, wherever its owner's model is, so any caller and any service
 * (flow-log delivery, CloudTrail) finds it by name. The namespace belongs
 * to the world, not to one account's model, so the twin holds it.
 */
const bucketNamespace = worldPart({
  name: 's3.bucket-names',
  make: () => new Map<string, BucketState>(),
  show: (names) => [...names.keys()],
});

export function bucketIndex(twin: Twin): Map<string, BucketState> {
  return twin.part(bucketNamespace);
}

/** S3 state of one account in one region: the buckets it owns there. */
export class S3Model {
  readonly buckets = new Map<string, BucketState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}
}
