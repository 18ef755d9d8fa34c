import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliOperations, operationsInUse, sdkOperations } from '../../../scripts/twin-use.ts';

describe('what the checks, drifts and labs use (twin/COVERAGE.md marks the rest)', () => {
  test('SDK commands and paginators a file imports, by service; type-only imports are no use', () => {
    const text = `
      import { DescribeVpcsCommand, type Vpc, paginateDescribeSubnets } from '@aws-sdk/client-ec2';
      import {
        FilterLogEventsCommand as Filter,
      } from "@aws-sdk/client-cloudwatch-logs";
      import type { GetObjectCommand } from '@aws-sdk/client-s3';
      import { z } from 'zod';`;
    expect(sdkOperations(text)).toEqual([
      ['ec2', 'DescribeVpcs'],
      ['ec2', 'DescribeSubnets'],
      ['cloudwatch-logs', 'FilterLogEvents'],
    ]);
  });

  test('AWS CLI commands a script runs, in the API’s spelling', () => {
    const script = `aws ec2 create-transit-gateway-vpc-attachment --vpc-id "$v"\n  aws s3api put-object --bucket b`;
    expect(cliOperations(script)).toEqual([
      ['ec2', 'CreateTransitGatewayVpcAttachment'],
      ['s3api', 'PutObject'],
    ]);
  });

  test('a service whose SDK package or CLI name differs from its signing name counts under the signing name', async () => {
    const root = await mkdtemp(join(tmpdir(), 'twin-use-'));
    try {
      await mkdir(join(root, 'helpers'));
      await writeFile(
        join(root, 'helpers', 'a.ts'),
        `import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
         import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';`,
      );
      await writeFile(
        join(root, 'helpers', 'b.sh'),
        'aws elbv2 describe-target-health --target-group-arn "$tg"',
      );
      const used = await operationsInUse(root);
      expect([...used.keys()].sort()).toEqual(['elasticloadbalancing', 'route53']);
      expect([...used.get('elasticloadbalancing')!].sort()).toEqual([
        'DescribeListeners',
        'DescribeTargetHealth',
      ]);
      expect([...used.get('route53')!]).toEqual(['GetHostedZone']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
