import { GetFunctionConfigurationCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { ReachabilityTarget, ResolvedTargets } from '../../helpers/targets/index.ts';
import { reachabilityRow } from '../../helpers/targets/rows.ts';
import type { Break, Operator } from './types.ts';

/**
 * What drifts say they break, as checklist ids and rows, and where the
 * pipeline's consumer runs. The questions drifts ask of a lab's targets
 * (the hub, the pairs kept apart, the rows a change touches) are the
 * suite's own: `helpers/targets/view.ts`.
 */

export function reachRow(r: ReachabilityTarget): Break {
  return { id: 'N13', row: reachabilityRow(r) };
}

/**
 * Every fruit's receipt (D7): when the pipeline stops, only D7 fails; the
 * checks that needed a receipt (D8, D9, D10, D11) are errors blocked by it,
 * which the drift matrix accepts because they name D7.
 */
export function pipelineStops(lab: ResolvedTargets): Break[] {
  return (lab.dataProtection?.orders ?? []).map((o) => ({ id: 'D7', row: o.name }));
}

/**
 * Where the pipeline's consumer runs: the function the queue's event source
 * mapping invokes, and its VPC placement. Targets do not say (the consumer
 * is the lab's, not the suite's), so a drift that cuts a VPC's way to S3
 * asks AWS whether it also cuts the pipeline's.
 */
export async function pipelineConsumer(
  lab: ResolvedTargets,
  op: Operator,
): Promise<{ vpcId?: string; securityGroupIds: string[] } | undefined> {
  if (!lab.ids.queueUrl) return undefined;
  const clients = op('lab');
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: lab.ids.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const { EventSourceMappings } = await clients.lambda.send(
    new ListEventSourceMappingsCommand({ EventSourceArn: Attributes!.QueueArn! }),
  );
  const functionArn = EventSourceMappings?.find((m) => m.State !== 'Disabled')?.FunctionArn;
  if (!functionArn) return undefined;
  const { VpcConfig } = await clients.lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionArn }),
  );
  return {
    ...(VpcConfig?.VpcId && { vpcId: VpcConfig.VpcId }),
    securityGroupIds: VpcConfig?.SecurityGroupIds ?? [],
  };
}

/** `pipelineStops` when the pipeline's consumer runs in `vpc` (and, if given, in one of `groups`). */
export async function pipelineStopsIfIn(
  lab: ResolvedTargets,
  op: Operator,
  vpc: string,
  groups?: string[],
): Promise<Break[]> {
  const consumer = await pipelineConsumer(lab, op);
  if (!consumer || consumer.vpcId !== lab.ids.vpc[vpc]) return [];
  if (groups && !groups.some((g) => consumer.securityGroupIds.includes(lab.ids.securityGroup[g]!))) return [];
  return pipelineStops(lab);
}

/**
 * The event writer (S10) when it runs in `vpc` (and, if given, with one of `groups`): a drift that cuts
 * its way to a service it writes to makes its invocation fail or time out. S11 and S12 are then errors
 * blocked by S10, which the drift matrix accepts. Where it runs is asked of Lambda.
 */
export async function writerStopsIfIn(
  lab: ResolvedTargets,
  op: Operator,
  vpc: string,
  groups?: string[],
): Promise<Break[]> {
  const writer = lab.application?.writer;
  if (!writer) return [];
  const { VpcConfig } = await op('lab').lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: writer.function }),
  );
  if (VpcConfig?.VpcId !== lab.ids.vpc[vpc]) return [];
  const ids = groups?.map((g) => lab.ids.securityGroup[g]);
  if (ids && !VpcConfig?.SecurityGroupIds?.some((g) => ids.includes(g))) return [];
  return [{ id: 'S10', row: writer.function }];
}

/** The S13 rows (DynamoDB from a placement) of the named probe placements that expect `expect`. */
export function dynamodbRows(lab: ResolvedTargets, placements: string[], expect: 'ok' | 'timeout'): Break[] {
  return (lab.application?.dynamodb?.placements ?? [])
    .filter((r) => placements.includes(r.placement) && r.expect === expect)
    .map((r) => ({ id: 'S13', row: r.placement }));
}
