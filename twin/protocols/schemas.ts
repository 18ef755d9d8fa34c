import { deref, NormalizedSchema } from '@smithy/core/schema';
import type { ServiceDefinition } from '../core/service.ts';

/**
 * Looks up the SDK's own Smithy schemas for a service: an operation's input
 * and output shapes and its HTTP binding, and an error's traits. The SDK
 * exports each as `<Name>$` (static schema tuples); reading them keeps the
 * twin's wire format identical to what the clients expect (twin-protocols.md §8).
 */
export interface OperationInfo {
  name: string;
  input: NormalizedSchema;
  output: NormalizedSchema;
  /** `[method, uri pattern, status]` for REST protocols. */
  http: readonly [string, string, number] | undefined;
}

const OPERATION = 9;
/**
 * Operations read from an SDK module's schemas, keyed by that module: a
 * cache of facts fixed at build time, not world state, so it stays at
 * module level rather than in the Twin (a reset must not re-read them).
 */
const cache = new WeakMap<object, Map<string, OperationInfo>>();

function operationsOf(def: ServiceDefinition<unknown>): Map<string, OperationInfo> {
  let ops = cache.get(def.sdk);
  if (ops) return ops;
  ops = new Map();
  for (const [exportName, value] of Object.entries(def.sdk)) {
    if (!exportName.endsWith('$') || !Array.isArray(value) || value[0] !== OPERATION) continue;
    const [, , name, traits, input, output] = value as [
      number,
      string,
      string,
      Record<string, unknown> | 0,
      unknown,
      unknown,
    ];
    const http = traits && typeof traits === 'object' ? (traits.http as OperationInfo['http']) : undefined;
    ops.set(name, {
      name,
      input: NormalizedSchema.of(deref(input as never) as never),
      output: NormalizedSchema.of(deref(output as never) as never),
      http,
    });
  }
  cache.set(def.sdk, ops);
  return ops;
}

export function operationInfo(def: ServiceDefinition<unknown>, name: string): OperationInfo | undefined {
  return operationsOf(def).get(name);
}

export function allOperations(def: ServiceDefinition<unknown>): OperationInfo[] {
  return [...operationsOf(def).values()];
}

export interface ErrorTraits {
  /** HTTP status from the model's `httpError` trait. */
  status: number | undefined;
  /** awsQuery wire code and status from `awsQueryError`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
  queryCode: string | undefined;
  fault: 'client' | 'server' | undefined;
}

export function errorTraits(def: ServiceDefinition<unknown>, code: string): ErrorTraits {
  const schema = def.sdk[`${code}$`];
  if (!Array.isArray(schema)) return { status: undefined, queryCode: undefined, fault: undefined };
  const traits = NormalizedSchema.of(schema as never).getMergedTraits() as {
    httpError?: number;
    awsQueryError?: [string, number];
    error?: 'client' | 'server';
  };
  return { status: traits.httpError, queryCode: traits.awsQueryError?.[0], fault: traits.error };
}
