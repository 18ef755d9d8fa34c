import type { InvokeResult } from '../services/lambda/lookups.ts';
import * as lambda from '../services/lambda/lookups.ts';
import type { Twin } from '../twin.ts';

/**
 * What the pipeline needs of Lambda, behind a seam: the SQS event source
 * mappings, each function's execution role, and invoking a function. By
 * default they come from Lambda's lookups (`listEventSourceMappings(twin)`,
 * `invokeFunction`); tests (and a twin without Lambda) inject their own
 * with `setPipelineSeams`.
 */
export interface EventSourceMappingView {
  uuid: string;
  functionArn: string;
  /** The queue ARN. */
  eventSourceArn: string;
  batchSize: number;
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

type Loose = Record<string, unknown>;
const pick = (o: Loose, ...keys: string[]) => keys.map((k) => o[k]).find((v) => v !== undefined);

/**
 * Reads Lambda's mappings whatever their casing (the Lambda service is
 * built alongside this one): UUID, FunctionArn, EventSourceArn, BatchSize,
 * State ('Enabled') or enabled, and the function's role.
 */
function normalize(raw: Loose): EventSourceMappingView {
  const state = pick(raw, 'State', 'state');
  const enabled = pick(raw, 'enabled', 'Enabled');
  return {
    uuid: String(pick(raw, 'UUID', 'uuid') ?? ''),
    functionArn: String(pick(raw, 'FunctionArn', 'functionArn') ?? ''),
    eventSourceArn: String(pick(raw, 'EventSourceArn', 'eventSourceArn') ?? ''),
    batchSize: Number(pick(raw, 'BatchSize', 'batchSize') ?? 10),
    enabled: typeof enabled === 'boolean' ? enabled : state === undefined || state === 'Enabled',
    roleArn: (pick(raw, 'roleArn', 'RoleArn', 'Role', 'role') as string | undefined) ?? undefined,
  };
}

const fromLambda: PipelineSeams = {
  listEventSourceMappings(twin) {
    const list = (lambda as Loose).listEventSourceMappings as ((t: Twin) => Loose[]) | undefined;
    return list ? list(twin).map(normalize) : [];
  },
  invokeFunction: (twin, request) => lambda.invokeFunction(twin, request),
};

const overrides = new WeakMap<Twin, Partial<PipelineSeams>>();

/** Replaces parts of the Lambda seam for one twin (tests inject a fake invoke and mappings). */
export function setPipelineSeams(twin: Twin, seams: Partial<PipelineSeams>): void {
  overrides.set(twin, { ...overrides.get(twin), ...seams });
}

export function seamsOf(twin: Twin): PipelineSeams {
  return { ...fromLambda, ...overrides.get(twin) };
}
