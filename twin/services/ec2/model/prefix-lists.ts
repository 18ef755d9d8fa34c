import { createHash } from 'node:crypto';
import type { PrefixListState } from './state.ts';

/**
 * AWS-managed prefix lists of the gateway endpoint services
 * (docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html):
 * `com.amazonaws.<region>.s3` and `.dynamodb`, the destinations of gateway
 * endpoint routes. They are AWS's, the same in every account of a region.
 *
 * Ids are the real ones (us-east-1 S3 is `pl-63a5400a`, DynamoDB
 * `pl-02cd2c6b`); CIDRs are the services' published ranges as they stood
 * when written (AWS changes them over time). Regions not listed get a stable
 * made-up id and a representative range (see LIMITATIONS).
 */
const KNOWN: Record<string, Record<'s3' | 'dynamodb', { id: string; cidrs: string[] }>> = {
  'us-east-1': {
    s3: {
      id: 'pl-63a5400a',
      cidrs: [
        '3.5.0.0/19',
        '16.15.176.0/20',
        '16.182.0.0/16',
        '18.34.0.0/19',
        '18.34.232.0/21',
        '52.216.0.0/15',
        '54.231.0.0/16',
      ],
    },
    dynamodb: {
      id: 'pl-02cd2c6b',
      cidrs: ['3.218.180.0/23', '3.218.182.0/24', '52.94.0.0/22', '52.119.224.0/20'],
    },
  },
  'us-east-2': {
    s3: {
      id: 'pl-7ba54012',
      cidrs: [
        '3.5.128.0/22',
        '3.5.132.0/23',
        '18.34.72.0/21',
        '52.219.80.0/20',
        '52.219.96.0/20',
        '52.219.176.0/20',
      ],
    },
    dynamodb: { id: 'pl-4ca54025', cidrs: ['3.218.170.0/23', '52.94.4.0/24', '52.119.232.0/21'] },
  },
  'us-west-2': {
    s3: {
      id: 'pl-68a54001',
      cidrs: ['3.5.76.0/22', '3.5.80.0/21', '18.34.48.0/20', '52.92.128.0/17', '52.218.128.0/17'],
    },
    dynamodb: { id: 'pl-00a54069', cidrs: ['52.94.10.0/24', '52.119.160.0/20'] },
  },
  'eu-west-1': {
    s3: {
      id: 'pl-6da54004',
      cidrs: ['3.5.64.0/21', '3.5.72.0/23', '52.92.0.0/17', '52.218.0.0/17', '54.231.128.0/19'],
    },
    dynamodb: { id: 'pl-6fa54006', cidrs: ['52.94.5.0/24', '52.94.24.0/23', '52.119.240.0/21'] },
  },
};

/** A representative range for regions the table does not know. */
const FALLBACK_CIDRS = { s3: ['52.216.0.0/15'], dynamodb: ['52.94.0.0/22'] };

export type PrefixListService = 's3' | 'dynamodb';

/** The AWS-managed prefix lists of a region. */
export function managedPrefixLists(region: string): PrefixListState[] {
  return (['s3', 'dynamodb'] as const).map((svc) => {
    const name = `com.amazonaws.${region}.${svc}`;
    const known = KNOWN[region]?.[svc];
    const id = known?.id ?? `pl-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
    return { id, name, cidrs: [...(known?.cidrs ?? FALLBACK_CIDRS[svc])] };
  });
}

/**
 * The prefix list for a gateway endpoint service, by short name (`s3`) or
 * full service name (`com.amazonaws.us-east-1.s3`); undefined for services
 * without one. Route rendering and the reachability engine use it.
 *
 * @example
 *   prefixListFor('us-east-1', 's3')?.id // 'pl-63a5400a'
 */
export function prefixListFor(region: string, serviceName: string): PrefixListState | undefined {
  const short = serviceName.startsWith('com.amazonaws.')
    ? serviceName.split('.').slice(3).join('.')
    : serviceName;
  return managedPrefixLists(region).find((pl) => pl.name === `com.amazonaws.${region}.${short}`);
}

/** A managed prefix list of the region by id. */
export function prefixListById(region: string, id: string): PrefixListState | undefined {
  return managedPrefixLists(region).find((pl) => pl.id === id);
}

/** ARN of an AWS-managed prefix list: the owner is `aws`. */
export function prefixListArn(region: string, id: string): string {
  return `arn:aws:ec2:${region}:aws:prefix-list/${id}`;
}
