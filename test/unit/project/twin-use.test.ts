import { describe, expect, test } from 'vitest';
import { cliOperations, sdkOperations } from '../../../scripts/twin-use.ts';

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
});
