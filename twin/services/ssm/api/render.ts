import type {
  Command,
  CommandInvocation,
  CommandPlugin,
  GetCommandInvocationResult,
  NotificationConfig,
} from '@aws-sdk/client-ssm';
import type { CommandState, InvocationState, SsmModel } from '../model/index.ts';
import { commandView, type InvocationView, invocationView } from '../model/invocations.ts';
import { isoDuration, ssmTimestamp } from '../model/timing.ts';

/** SSM's output shapes from the model's records. Run Command's one plugin for AWS-RunShellScript. */
export const PLUGIN = 'aws:runShellScript';
/** The plugin's Output in ListCommandInvocations is cut at 2,500 characters (console and API). */
const PLUGIN_OUTPUT_LIMIT = 2500;

/** AWS answers an unset notification config with empty strings, which the SDK's enum type does not admit. */
function notification(): NotificationConfig {
  return {
    NotificationArn: '',
    NotificationEvents: [],
    NotificationType: '' as NotificationConfig['NotificationType'],
  };
}
const CLOUDWATCH = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false } as const;

function deliveryDeadline(model: SsmModel, c: CommandState): number {
  return c.requestedAt + Math.round(c.timeoutSeconds * 1000 * model.twin.profile.scale);
}

export function renderCommand(model: SsmModel, c: CommandState, now: number): Command {
  const v = commandView(model, c, now);
  return {
    CommandId: c.id,
    DocumentName: c.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: c.comment,
    ExpiresAfter: new Date(deliveryDeadline(model, c)),
    Parameters: c.parameters,
    InstanceIds: c.instanceIds,
    Targets: c.targets,
    RequestedDateTime: new Date(c.requestedAt),
    Status: v.status,
    StatusDetails: v.statusDetails,
    OutputS3Region: model.region,
    OutputS3BucketName: c.outputS3BucketName,
    OutputS3KeyPrefix: c.outputS3KeyPrefix,
    MaxConcurrency: c.maxConcurrency,
    MaxErrors: c.maxErrors,
    TargetCount: c.invocations.length,
    CompletedCount: v.completedCount,
    ErrorCount: v.errorCount,
    DeliveryTimedOutCount: v.deliveryTimedOutCount,
    ServiceRole: c.serviceRoleArn,
    NotificationConfig: notification(),
    CloudWatchOutputConfig: { ...CLOUDWATCH },
    TimeoutSeconds: c.timeoutSeconds,
  };
}

export function renderInvocationResult(
  c: CommandState,
  inv: InvocationState,
  v: InvocationView,
  now: number,
): GetCommandInvocationResult {
  return {
    CommandId: c.id,
    InstanceId: inv.instanceId,
    Comment: c.comment,
    DocumentName: c.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: PLUGIN,
    ResponseCode: v.responseCode,
    ExecutionStartDateTime: v.startAt !== undefined ? ssmTimestamp(v.startAt) : '',
    ExecutionElapsedTime: v.startAt !== undefined ? isoDuration((v.endAt ?? now) - v.startAt) : '',
    ExecutionEndDateTime: v.endAt !== undefined ? ssmTimestamp(v.endAt) : '',
    Status: v.status,
    StatusDetails: v.statusDetails,
    StandardOutputContent: v.stdout,
    StandardOutputUrl: '',
    StandardErrorContent: v.stderr,
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { ...CLOUDWATCH },
  };
}

function plugin(model: SsmModel, v: InvocationView): CommandPlugin {
  const output = v.stderr ? `${v.stdout}\n----------ERROR-------\n${v.stderr}` : v.stdout;
  return {
    Name: PLUGIN,
    Status: v.status === 'Delayed' ? 'Pending' : (v.status as CommandPlugin['Status']),
    StatusDetails: v.statusDetails,
    ResponseCode: v.responseCode,
    ...(v.startAt !== undefined && { ResponseStartDateTime: new Date(v.startAt) }),
    ...(v.endAt !== undefined && { ResponseFinishDateTime: new Date(v.endAt) }),
    Output: output.slice(0, PLUGIN_OUTPUT_LIMIT),
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: model.region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
  };
}

export function renderInvocation(
  model: SsmModel,
  c: CommandState,
  inv: InvocationState,
  now: number,
  details: boolean,
): CommandInvocation {
  const v = invocationView(model, c, inv, now);
  return {
    CommandId: c.id,
    InstanceId: inv.instanceId,
    InstanceName: inv.instanceName,
    Comment: c.comment,
    DocumentName: c.documentName,
    DocumentVersion: '$DEFAULT',
    RequestedDateTime: new Date(c.requestedAt),
    Status: v.status,
    StatusDetails: v.statusDetails,
    TraceOutput: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details ? [plugin(model, v)] : [],
    ServiceRole: c.serviceRoleArn,
    NotificationConfig: notification(),
    CloudWatchOutputConfig: { ...CLOUDWATCH },
  };
}
