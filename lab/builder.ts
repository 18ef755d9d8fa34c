import { setTimeout as sleep } from 'node:timers/promises';
import { invoke } from '../twin/core/invoke.ts';
import type { Credential } from '../twin/core/principal.ts';
import type { ServiceDefinition } from '../twin/core/service.ts';
import { ec2 } from '../twin/services/ec2/api.ts';
import { services } from '../twin/services/registry.ts';
import { rootCredential, type Twin } from '../twin/twin.ts';

/**
 * Builds a lab in-process through the public API's own operations, as an
 * operator with the account's root credentials would through the CLI.
 * `as(account).call('ec2', 'CreateVpc', {...})` runs the same authorize and
 * handler path as an HTTP request, so a seeded lab is an ordinary lab.
 */
export interface LabBuilder {
  readonly accountId: string;
  readonly region: string;
  call<O = Record<string, unknown>>(service: string, operation: string, input: object): Promise<O>;
  /** Shorthand for EC2 calls, the bulk of a network. */
  ec2<O = Record<string, unknown>>(operation: string, input: object): Promise<O>;
}

export function builderFor(
  twin: Twin,
  accountId: string,
  region: string,
  credential: Credential = rootCredential(accountId),
): LabBuilder {
  const find = (signingName: string): ServiceDefinition<unknown> => {
    const def = services.find((s) => s.signingName === signingName);
    if (!def) throw new Error(`the twin has no ${signingName} service`);
    return def;
  };
  return {
    accountId,
    region,
    call: (service, operation, input) =>
      invoke(twin, find(service), operation, input, { credential, region }),
    ec2: (operation, input) => invoke(twin, ec2, operation, input, { credential, region }),
  };
}

/** `TagSpecifications` giving a resource its Name. */
export function named(resourceType: string, name: string, extra: Record<string, string> = {}) {
  return {
    TagSpecifications: [
      {
        ResourceType: resourceType,
        Tags: [
          { Key: 'Name', Value: name },
          ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value })),
        ],
      },
    ],
  };
}

/**
 * Calls `look` until it says true; gives up after ten minutes (the AWS CLI's
 * load-balancer-available waiter: 40 polls 15 s apart) naming what it last
 * saw. A lab on the twin's realistic profile takes about a minute for each.
 */
export async function poll(what: string, look: () => Promise<true | string | undefined>): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const seen = await look();
    if (seen === true) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: still ${seen}`);
    await sleep(100);
  }
}
