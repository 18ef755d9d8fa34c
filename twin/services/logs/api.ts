/**
 * CloudWatch Logs — log groups, streams and events, as Lambda functions,
 * CloudTrail and flow logs write them and operators read them:
 * CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy,
 * DeleteRetentionPolicy, CreateLogStream, DeleteLogStream,
 * DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents and tags
 * (TagResource family and the older TagLogGroup family).
 *
 * LIMITATIONS
 * - No Logs Insights queries, metric or subscription filters, export tasks,
 *   destinations, resource policies, data protection, anomaly detection,
 *   Live Tail or account-level settings; metricFilterCount is always 0.
 * - Filter patterns: terms, quoted phrases, `?` (any of), `-` (none of),
 *   `%regex%` (JavaScript regular expressions, a superset of AWS's) and JSON
 *   comparisons joined by one kind of `&&`/`||` (no parentheses, no IS NULL
 *   / EXISTS); space-delimited `[a, b]` patterns are refused with
 *   InvalidParameterException instead of being interpreted.
 * - kmsKeyId is recorded, not used: events are not encrypted and KMS key
 *   policies are not checked; deletion protection is not modelled.
 * - Retention drops events as they are read (AWS deletes them some time
 *   after they expire); storedBytes of a group counts message bytes.
 * - Cross-account reads (logGroupIdentifier ARNs of monitoring accounts,
 *   includeLinkedAccounts) are not modelled: a group is looked up in the
 *   caller's own account and region.
 */
import * as sdkModule from '@aws-sdk/client-cloudwatch-logs';
import { deref, NormalizedSchema } from '@smithy/core/schema';
import type { RequestContext } from '../../core/context.ts';
import { defineService } from '../../core/service.ts';
import { groupHandlers } from './api/groups.ts';
import { streamHandlers } from './api/streams.ts';
import { accessDenied } from './errors.ts';
import { LogsModel } from './model/index.ts';

/**
 * Work-around for twin/protocols/aws-json.ts, which renders an operation
 * whose output is Smithy's Unit (CreateLogGroup, PutRetentionPolicy…) as
 * "[object Object]": such operations get an empty structure as output, so
 * the body is `{}` as AWS sends it. Remove once the protocol handles Unit.
 */
function withStructOutputs(module: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...module };
  const empty = [3, 'com.amazonaws.cloudwatchlogs', 'EmptyOutput', 0, [], []];
  for (const [name, value] of Object.entries(module)) {
    if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    if (NormalizedSchema.of(deref(value[5] as never) as never).isUnitSchema())
      copy[name] = [...value.slice(0, 5), empty];
  }
  return copy;
}

const sdk = withStructOutputs(sdkModule);

/** Operations on one stream are judged on the stream's ARN; tag operations on the group ARN without `:*`. */
const STREAM_OPERATIONS = new Set(['CreateLogStream', 'DeleteLogStream', 'PutLogEvents', 'GetLogEvents']);
const ARN_OPERATIONS = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

function groupNameOf(input: Record<string, unknown>): string {
  const id = String(input.logGroupName ?? input.logGroupIdentifier ?? '*');
  return id.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, '');
}

/**
 * The resource an action is judged on. "Use the second version, with the
 * trailing :*, to refer to the ARN when specifying permissions in IAM
 * policies for all other API actions" (CloudWatch Logs User Guide,
 * "Overview of managing access permissions to your CloudWatch Logs
 * resources"); a stream is `…:log-group:NAME:log-stream:STREAM`.
 */
function resourceOf(operation: string, input: Record<string, unknown>, ctx: RequestContext): string {
  const base = `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:`;
  if (ARN_OPERATIONS.has(operation)) return String(input.resourceArn ?? '*');
  if (operation === 'DescribeLogGroups') return `${base}*`;
  const group = groupNameOf(input);
  if (STREAM_OPERATIONS.has(operation))
    return `${base}${group}:log-stream:${String(input.logStreamName ?? '')}`;
  return `${base}${group}:*`;
}

export const logs = defineService<LogsModel>({
  signingName: 'logs',
  iamPrefix: 'logs',
  protocol: 'awsJson1_1',
  sdk,
  namespace: 'com.amazonaws.cloudwatchlogs',
  targetPrefix: 'Logs_20140328',
  createModel: (twin, accountId, region) => new LogsModel(twin, accountId, region),
  accessDenied: (message) => accessDenied(message),
  authorization: (operation, input, ctx) => ({
    action: `logs:${operation}`,
    resource: resourceOf(operation, input, ctx),
  }),
  handlers: { ...groupHandlers, ...streamHandlers },
});
