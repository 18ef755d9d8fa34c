import type { Filter } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { type Accessors, applyFilters, paginate, renderTags, tagsFromSpecifications } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import type { Viewer, World } from '../model/peering.ts';
import type { Tags } from '../model/state.ts';

/**
 * Answers `DryRunOperation` (HTTP 412) instead of acting when the request
 * says DryRun. The authorize step has already run, so a caller who lacks
 * the permission got `UnauthorizedOperation` (Query-Requests.html, "DryRun").
 */
export function withDryRun<G extends Record<string, Handler<Ec2Model>>>(group: G): G {
  const wrapped: Record<string, Handler<Ec2Model>> = {};
  for (const [name, handler] of Object.entries(group)) {
    wrapped[name] = (model, input, ctx) => {
      if ((input as { DryRun?: boolean }).DryRun) {
        throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', {
          status: 412,
        });
      }
      return handler(model, input, ctx);
    };
  }
  return wrapped as G;
}

/** Every EC2 model of the twin, for what crosses accounts (peering, shared transit gateways). */
export function worldOf(ctx: RequestContext): World {
  return ctx.twin.modelsOf(ctx.service).map(([, model]) => model as Ec2Model);
}

export function viewerOf(model: Ec2Model): Viewer {
  return { accountId: model.accountId, region: model.region };
}

/** Tags from `TagSpecifications` for one resource type. */
export function specTags(
  input: { TagSpecifications?: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] },
  type: string,
): Tags {
  return tagsFromSpecifications(input.TagSpecifications, type);
}

export { renderTags };

export interface DescribeInput {
  Filters?: Filter[] | undefined;
  MaxResults?: number | undefined;
  NextToken?: string | undefined;
}

/**
 * Picks the named items (the kind's NotFound error for the first unknown
 * id), applies filters, then one page. MaxResults outside the operation's
 * range is refused as EC2 refuses it (5–1000 for most describes; the
 * service model's `range` trait).
 */
export function describe<T extends { tags: Tags }>(
  items: T[],
  input: DescribeInput,
  options: {
    ids?: string[] | undefined;
    idOf: (item: T) => string;
    missing: (id: string) => AwsError;
    accessors: Accessors<T>;
    maxLimit?: number;
  },
): { page: T[]; nextToken?: string } {
  let chosen = items;
  if (options.ids?.length) {
    const byId = new Map(items.map((item) => [options.idOf(item), item]));
    chosen = options.ids.map((id) => {
      const item = byId.get(id);
      if (!item) throw options.missing(id);
      return item;
    });
  }
  const max = options.maxLimit ?? 1000;
  if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > max)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Parameter must be between 5 and ${max}.`,
    );
  }
  const filtered = applyFilters(chosen, input.Filters, options.accessors, (item) => item.tags);
  return paginate(filtered, input.MaxResults, input.NextToken);
}

/** `true`/`false` as EC2 filters compare booleans. */
export function flag(value: boolean): string {
  return value ? 'true' : 'false';
}
