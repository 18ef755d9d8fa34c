import type {
  AddPermissionRequest,
  AddPermissionResponse,
  GetPolicyRequest,
  GetPolicyResponse,
  ListTagsRequest,
  ListTagsResponse,
  RemovePermissionRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { resourceNotFound } from '../errors.ts';
import type { FunctionState, LambdaModel } from '../model/index.ts';
import { addPermission, policyDocument, removePermission } from '../model/policy.ts';
import { resolveFunction } from './shared.ts';

/** Tags name the function by ARN (API reference, TagResource: "The resource's Amazon Resource Name"). */
function tagged(ctx: RequestContext, arn: string | undefined): FunctionState {
  if (!arn?.startsWith('arn:')) throw resourceNotFound(`Function not found: ${arn ?? ''}`);
  return resolveFunction(ctx, arn).fn;
}

export const permissionHandlers: Record<string, Handler<LambdaModel>> = {
  AddPermission(_model, input: AddPermissionRequest, ctx): AddPermissionResponse {
    const { fn } = resolveFunction(ctx, input.FunctionName, input.Qualifier);
    return { Statement: JSON.stringify(addPermission(fn, input)) };
  },

  RemovePermission(_model, input: RemovePermissionRequest, ctx): object {
    removePermission(resolveFunction(ctx, input.FunctionName, input.Qualifier).fn, input.StatementId);
    return {};
  },

  GetPolicy(_model, input: GetPolicyRequest, ctx): GetPolicyResponse {
    const { fn } = resolveFunction(ctx, input.FunctionName, input.Qualifier);
    const policy = policyDocument(fn);
    if (!policy) throw resourceNotFound('The resource you requested does not exist.');
    return { Policy: policy, RevisionId: fn.revisionId };
  },

  TagResource(_model, input: TagResourceRequest, ctx): object {
    Object.assign(tagged(ctx, input.Resource).tags, input.Tags ?? {});
    return {};
  },

  UntagResource(_model, input: UntagResourceRequest, ctx): object {
    const fn = tagged(ctx, input.Resource);
    for (const key of input.TagKeys ?? []) delete fn.tags[key];
    return {};
  },

  ListTags(_model, input: ListTagsRequest, ctx): ListTagsResponse {
    return { Tags: { ...tagged(ctx, input.Resource).tags } };
  },
};
