import { makeContext } from '../gateway/context.ts';
import { authorizeByDefinition, dispatchTo } from '../gateway/dispatch.ts';
import type { Twin } from '../twin.ts';
import type { Credential } from './principal.ts';
import type { ServiceDefinition } from './service.ts';

export interface InvokeOptions {
  /** Who calls; defaults to the root of `accountId`. */
  credential: Credential;
  region: string;
}

/**
 * Calls an operation in-process exactly as the public API would (same
 * authorization, same handler, same model), without HTTP. Labs are seeded
 * through this, so a seeded lab and a lab built with the AWS CLI are made
 * by the same code.
 *
 * @example
 *   const { Vpc } = await invoke(twin, ec2, 'CreateVpc', { CidrBlock: '172.20.0.0/16' }, { credential, region });
 */
export async function invoke<M, O = Record<string, unknown>>(
  twin: Twin,
  service: ServiceDefinition<M>,
  operation: string,
  input: object,
  options: InvokeOptions,
): Promise<O> {
  const ctx = makeContext({
    twin,
    service: service as ServiceDefinition<unknown>,
    operation,
    region: options.region,
    credential: options.credential,
    requestId: twin.ids.uuid(),
    sourceIp: '127.0.0.1',
    userAgent: 'meshcheck-twin/seed',
    origin: twin.origin,
    headers: {},
  });
  authorizeByDefinition(ctx, input as Record<string, unknown>);
  return (await dispatchTo(ctx, input as Record<string, unknown>)) as O;
}
