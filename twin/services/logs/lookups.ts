import type { Principal } from '../../core/principal.ts';
import { decide } from '../../iam/authorize.ts';
import type { Twin } from '../../twin.ts';
import { logs } from './api.ts';
import { createLogGroup } from './model/groups.ts';
import { appendEvents, createLogStream } from './model/streams.ts';

/**
 * How AWS services write into CloudWatch Logs (Lambda's function logs,
 * CloudTrail's and flow logs' deliveries): the service makes the group
 * (when it is allowed to and asked to) and the stream, then appends.
 */
export interface LogTarget {
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
  /** Make the group when it is missing (Lambda does; CloudTrail and flow logs need it to exist). */
  createGroup?: boolean;
  /**
   * Who writes: each step is judged as this principal (Lambda's execution
   * role session, a delivery role). Without it the service writes on its own.
   */
  principal?: Principal;
}

export type Delivery = { delivered: true } | { delivered: false; because: string };

function allowed(twin: Twin, target: LogTarget, action: string, resource: string): string | undefined {
  if (!target.principal) return undefined;
  const decision = decide(
    twin,
    target.principal,
    { action, resource },
    { region: target.region, time: twin.clock.now(), sourceIp: '127.0.0.1', secureTransport: true },
  );
  return decision.allowed
    ? undefined
    : `${target.principal.arn} may not ${action} on ${resource}: ${decision.because}`;
}

/**
 * Writes events as the service would. Lambda needs its execution role to
 * allow logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents
 * (Lambda Developer Guide, "Sending Lambda function logs to CloudWatch
 * Logs"); without them the logs are simply lost, with no error to the
 * caller. Returns why nothing was written, for the service's own status
 * (CloudTrail's LatestCloudWatchLogsDeliveryError).
 *
 * @example deliverLogEvents(twin, { accountId, region, logGroupName: '/aws/lambda/fn', logStreamName, createGroup: true, principal }, events)
 */
export function deliverLogEvents(
  twin: Twin,
  target: LogTarget,
  events: { timestamp: number; message: string }[],
): Delivery {
  const model = twin.model(logs, target.accountId, target.region);
  const groupArn = `arn:aws:logs:${target.region}:${target.accountId}:log-group:${target.logGroupName}`;
  const streamArn = `${groupArn}:log-stream:${target.logStreamName}`;
  let group = model.groups.get(target.logGroupName);
  if (!group) {
    if (!target.createGroup)
      return { delivered: false, because: `log group ${target.logGroupName} does not exist` };
    const denied = allowed(twin, target, 'logs:CreateLogGroup', `${groupArn}:*`);
    if (denied) return { delivered: false, because: denied };
    group = createLogGroup(model, { name: target.logGroupName });
  }
  let stream = group.streams.get(target.logStreamName);
  if (!stream) {
    const denied = allowed(twin, target, 'logs:CreateLogStream', streamArn);
    if (denied) return { delivered: false, because: denied };
    stream = createLogStream(model, group, target.logStreamName);
  }
  const denied = allowed(twin, target, 'logs:PutLogEvents', streamArn);
  if (denied) return { delivered: false, because: denied };
  appendEvents(model, stream, events);
  return { delivered: true };
}
