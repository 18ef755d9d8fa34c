import type {
  EventSourceMappingConfiguration,
  FunctionConfiguration,
  LastUpdateStatusReasonCode,
} from '@aws-sdk/client-lambda';
import type { Twin } from '../../../twin.ts';
import { mappingState } from '../model/event-source-mappings.ts';
import { statusOf } from '../model/functions.ts';
import type { EventSourceMappingState, FunctionState } from '../model/index.ts';
import { lambdaTime } from './shared.ts';

/**
 * Output shapes of the Lambda API reference: FunctionConfiguration (what
 * GetFunctionConfiguration, CreateFunction and the Update operations
 * return) and EventSourceMappingConfiguration. While a function is being
 * created or updated the reason reads "The function is being created."
 * with code Creating, as Lambda writes it (seen in update-function-configuration output).
 */
function stateFields(fn: FunctionState, now: number): Partial<FunctionConfiguration> {
  const { state, lastUpdateStatus } = statusOf(fn, now);
  // Lambda answers "Creating" for updates too, though the SDK's enum of LastUpdateStatusReasonCode lacks it.
  const creating = {
    reason: 'The function is being created.',
    code: 'Creating' as 'Creating' & LastUpdateStatusReasonCode,
  };
  return {
    State: state,
    ...(state === 'Pending' && { StateReason: creating.reason, StateReasonCode: creating.code }),
    LastUpdateStatus: lastUpdateStatus,
    ...(lastUpdateStatus === 'InProgress' && {
      LastUpdateStatusReason: creating.reason,
      LastUpdateStatusReasonCode: creating.code,
    }),
  };
}

export function renderConfiguration(twin: Twin, fn: FunctionState): FunctionConfiguration {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime as FunctionConfiguration['Runtime'],
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.code.size,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaTime(fn.lastModified),
    CodeSha256: fn.code.sha256,
    Version: '$LATEST',
    ...(fn.vpc && {
      VpcConfig: {
        SubnetIds: [...fn.vpc.subnetIds],
        SecurityGroupIds: [...fn.vpc.securityGroupIds],
        VpcId: fn.vpc.vpcId,
        Ipv6AllowedForDualStack: false,
      },
    }),
    ...(Object.keys(fn.environment).length && { Environment: { Variables: { ...fn.environment } } }),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: fn.revisionId,
    ...stateFields(fn, twin.clock.now()),
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

export function renderMapping(
  m: EventSourceMappingState,
  now: number,
  state?: 'Deleting',
): EventSourceMappingConfiguration {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn,
    LastModified: new Date(m.lastModified),
    State: state ?? mappingState(m, now),
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: [
      ...m.functionResponseTypes,
    ] as EventSourceMappingConfiguration['FunctionResponseTypes'],
    EventSourceMappingArn: `${m.functionArn.split(':function:')[0]}:event-source-mapping:${m.uuid}`,
  };
}
