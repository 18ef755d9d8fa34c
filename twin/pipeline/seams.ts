import type { InvokeResult } from '../services/lambda/lookups.ts';
import * as lambda from '../services/lambda/lookups.ts';
import { type Twin, worldPart } from '../twin.ts';

/**
 * What the pipeline needs of Lambda, behind a seam: the SQS event source
 * mappings (with each function's execution role) and invoking a function.
 * By default they come from Lambda's lookups; tests inject their own with
 * `setPipelineSeams`.
 */
export interface EventSourceMappingView {
  uuid: string;
  functionArn: string;
  /** The queue ARN. */
  eventSourceArn: string;
  batchSize: number;
  /** Lambda polls for it now (Enabled, not Creating, Updating or Disabled). */
  enabled: boolean;
  /** The function's execution role, which the poll acts as. */
  roleArn: string | undefined;
}

export interface PipelineSeams {
  listEventSourceMappings(twin: Twin): EventSourceMappingView[];
  invokeFunction(
    twin: Twin,
    request: { functionArn: string; payload: Buffer; invocationType: 'RequestResponse' | 'Event' },
  ): Promise<InvokeResult>;
}

const fromLambda: PipelineSeams = {
  listEventSourceMappings: (twin) => lambda.listEventSourceMappings(twin),
  invokeFunction: (twin, request) => lambda.invokeFunction(twin, request),
};

/** What a test put in Lambda's place for one twin; the twin shows which seams are replaced. */
const seamOverrides = worldPart({
  name: 'pipeline.seams',
  make: (): { seams: Partial<PipelineSeams> } => ({ seams: {} }),
  show: (o) => ({ replaced: Object.keys(o.seams) }),
});

/** Replaces parts of the Lambda seam for one twin (tests inject a fake invoke and mappings). */
export function setPipelineSeams(twin: Twin, seams: Partial<PipelineSeams>): void {
  const overrides = twin.part(seamOverrides);
  overrides.seams = { ...overrides.seams, ...seams };
}

export function seamsOf(twin: Twin): PipelineSeams {
  return { ...fromLambda, ...twin.partIfMade(seamOverrides)?.seams };
}
