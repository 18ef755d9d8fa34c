import { TargetsError } from '../../../../helpers/errors.ts';
import { parseTargets } from '../../../../helpers/targets/index.ts';
import { PROBE_ROLE } from '../../../../helpers/targets/rules.ts';

/**
 * One small lab that the targets tests break one way per row: two VPCs on a
 * Transit Gateway, a third apart, two hosts, a probe and data protection.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows reach into the file as JSON
export type File = any;

export function lab(): File {
  return {
    region: 'eu-west-1',
    accounts: { lab: { id: '123456789012' } },
    network: {
      vpcs: [
        {
          name: 'a-vpc',
          cidr: '10.10.0.0/16',
          subnets: [
            { name: 'a-1', cidr: '10.10.1.0/24', availabilityZone: 'eu-west-1a' },
            { name: 'a-2', cidr: '10.10.2.0/24' },
          ],
          routes: [{ cidr: '10.20.0.0/16', via: 'transit-gateway' }],
        },
        {
          name: 'b-vpc',
          cidr: '10.20.0.0/16',
          subnets: [{ name: 'b-1', cidr: '10.20.1.0/24' }],
          routes: [{ cidr: '10.10.0.0/16', via: 'transit-gateway' }],
        },
        { name: 'c-vpc', cidr: '10.10.0.0/16', subnets: [{ name: 'c-1', cidr: '10.10.1.0/24' }] },
      ],
      hosts: [
        { name: 'a-host', subnet: 'a-1', privateIp: '10.10.1.10' },
        { name: 'b-host', subnet: 'b-1', privateIp: '10.20.1.10' },
      ],
      transitGateway: {
        name: 'hub',
        attachments: [
          { name: 'a-att', vpc: 'a-vpc', routeTable: 'rt' },
          { name: 'b-att', vpc: 'b-vpc', routeTable: 'rt' },
        ],
        routeTables: [
          {
            name: 'rt',
            routes: [
              { cidr: '10.10.0.0/16', attachment: 'a-att' },
              { cidr: '10.20.0.0/16', attachment: 'b-att' },
            ],
          },
        ],
      },
      reachability: [{ from: 'a-host', to: 'b-host', expect: 'allow' }],
    },
    endpoints: {
      vpcs: [{ vpc: 'a-vpc', gateway: ['s3'], interface: ['ssm'] }],
      probe: {
        role: PROBE_ROLE,
        bucket: 'probe-scratch',
        placements: [
          { name: 'a', vpc: 'a-vpc', subnets: ['a-1'], securityGroups: ['a-fn'], expect: { s3: 'ok' } },
        ],
      },
    },
    dataProtection: {
      topic: 'orders',
      queue: 'orders-inbox',
      eventsKey: 'alias/orders',
      receiptBucket: 'receipts-bucket',
      receiptKey: 'alias/receipts',
      keys: [{ alias: 'alias/receipts', decrypt: { allow: ['role:AuditRole'], deny: ['runner'] } }],
      readers: ['AuditRole'],
      pipelineRoles: ['WriterRole'],
    },
  };
}

/** The problems loadTargets reports for a file, or [] when it accepts it. */
export function problemsOf(file: File): string[] {
  try {
    parseTargets(file);
    return [];
  } catch (error) {
    if (error instanceof TargetsError) return error.problems;
    throw error;
  }
}
