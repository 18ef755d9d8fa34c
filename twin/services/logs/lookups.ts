import type { Twin } from '../../twin.ts';

/**
 * How AWS services write into CloudWatch Logs (Lambda's function logs,
 * CloudTrail's and flow logs' deliveries). Placeholder until the Logs
 * service lands: drops the events.
 */
export function deliverLogEvents(
  _twin: Twin,
  _target: { accountId: string; region: string; logGroupName: string; logStreamName: string; createGroup?: boolean },
  _events: { timestamp: number; message: string }[],
): void {}
