import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { AuthorizationRequest, ServiceDefinition } from '../../../core/service.ts';
import { queueDoesNotExist } from '../errors.ts';
import type { SqsModel } from '../model/index.ts';
import type { QueueState } from '../model/state.ts';

/**
 * Queue URLs and how a request finds its queue. URLs are minted on the
 * endpoint the client reached (`http://127.0.0.1:PORT/ACCOUNT/NAME`): the
 * SDK sends a request to the QueueUrl's host when endpoints come from the
 * environment (twin-protocols.md §7, trap 1), so an AWS hostname would send
 * traffic to real AWS. Any URL whose path is `/ACCOUNT/NAME` is accepted,
 * so URLs copied from AWS's form still resolve.
 */
export interface QueueRef {
  accountId: string;
  name: string;
}

export function queueUrl(origin: string, accountId: string, name: string): string {
  return `${origin}/${accountId}/${name}`;
}

/** "The specified address is invalid" for URLs that name no account and queue. */
export function parseQueueUrl(url: string | undefined): QueueRef {
  const path = (() => {
    try {
      return new URL(url ?? '').pathname;
    } catch {
      return url ?? '';
    }
  })();
  const m = /^\/?(\d{12})\/([^/]+)\/?$/.exec(path);
  if (!m) throw new AwsError('InvalidAddress', `The address ${url ?? ''} is not valid for this endpoint.`);
  return { accountId: m[1]!, name: decodeURIComponent(m[2]!) };
}

/** The SQS model of an account in the request's region, or undefined for an account the twin does not have. */
export function modelOf(ctx: RequestContext, accountId: string): SqsModel | undefined {
  if (!ctx.twin.hasAccount(accountId)) return undefined;
  return ctx.twin.model(ctx.service as ServiceDefinition<SqsModel>, accountId, ctx.region);
}

export function findByRef(
  ctx: RequestContext,
  ref: QueueRef,
): { model: SqsModel; queue: QueueState } | undefined {
  const model = modelOf(ctx, ref.accountId);
  const queue = model?.queues.get(ref.name);
  return model && queue ? { model, queue } : undefined;
}

/** The queue a QueueUrl names, with its owner's model; QueueDoesNotExist when there is none. */
export function queueOf(
  ctx: RequestContext,
  url: string | undefined,
): { model: SqsModel; queue: QueueState } {
  const found = findByRef(ctx, parseQueueUrl(url));
  if (!found) throw queueDoesNotExist();
  return found;
}

export function arnFor(region: string, ref: QueueRef): string {
  return `arn:aws:sqs:${region}:${ref.accountId}:${ref.name}`;
}

/**
 * What an action on a queue needs: `sqs:<Action>` on the queue ARN, judged
 * with the queue policy; a queue in another account needs both sides to
 * allow ("Amazon SQS access policy … and IAM policy", SQS Developer Guide).
 */
export function onQueue(
  action: string,
  region: string,
  ref: QueueRef,
  queue?: QueueState,
): AuthorizationRequest {
  return {
    action,
    resource: queue?.arn ?? arnFor(region, ref),
    resourcePolicy: queue?.attributes.Policy || undefined,
    resourceAccount: ref.accountId,
  };
}

/** Cursor-style pagination over a sorted list, as ListQueues pages (MaxResults 1–1,000). */
export function page<T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
  if (maxResults === undefined) return { items: items.slice(start) };
  const end = start + maxResults;
  const out = items.slice(start, end);
  return end < items.length
    ? { items: out, next: Buffer.from(String(end)).toString('base64') }
    : { items: out };
}

/**
 * The answer of an operation whose output is Unit (SetQueueAttributes,
 * DeleteMessage, …). The JSON protocol layer stringifies what the SDK's
 * serializer hands back, and for a Unit schema that is the handler's value
 * itself, so `{}` would go out as "[object Object]"; the JSON text `{}`
 * is correct on both protocols (awsQuery writes nothing for Unit).
 */
export function noOutput(): object {
  return '{}' as unknown as object;
}
