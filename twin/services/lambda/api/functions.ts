import type {
  CreateFunctionRequest,
  DeleteFunctionRequest,
  FunctionConfiguration,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import type { RoleInfo } from '../../iam/lookups.ts';
import { invalidParameter, validationError } from '../errors.ts';
import {
  type ConfigurationChange,
  createFunction,
  deleteFunction,
  requireUpdatable,
  updateCode,
  updateConfiguration,
} from '../model/functions.ts';
import type { LambdaModel } from '../model/index.ts';
import { checkFunctionName, parseFunctionRef } from '../model/names.ts';
import {
  checkCode,
  checkEnvironment,
  checkHandler,
  checkLimits,
  checkRole,
  checkRuntime,
  checkRuntimeUpdatable,
  checkVpcPermissions,
} from '../model/validate.ts';
import { resolveVpcConfig } from '../model/vpc.ts';
import { renderConfiguration } from './render.ts';
import { resolveFunction } from './shared.ts';

/**
 * Creating a function, or giving it another role, also needs iam:PassRole
 * on the execution role (Lambda Developer Guide, "Identity-based IAM
 * policies for Lambda"); a denial is Lambda's AccessDeniedException naming
 * iam:PassRole and the role's ARN.
 */
function passRole(ctx: RequestContext, roleArn: string, functionName: string, region: string): RoleInfo {
  ctx.authorize({
    action: 'iam:PassRole',
    resource: roleArn,
    context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
  });
  return checkRole(
    ctx.twin,
    roleArn,
    `arn:aws:lambda:${region}:${ctx.accountId}:function:${functionName}`,
    region,
  );
}

function codeOf(code: CreateFunctionRequest['Code']): ReturnType<typeof checkCode> {
  if (code?.S3Bucket || code?.ImageUri) {
    throw invalidParameter('The twin takes function code as Code.ZipFile only (no S3 or container images).');
  }
  return checkCode(code?.ZipFile);
}

function createHandler(
  model: LambdaModel,
  input: CreateFunctionRequest,
  ctx: RequestContext,
): FunctionConfiguration {
  const name = checkFunctionName(parseFunctionRef(input.FunctionName, ctx.accountId, ctx.region).name);
  if (input.PackageType === 'Image') throw invalidParameter('The twin runs Zip packages only.');
  const runtime = checkRuntime(input.Runtime, 'create', ctx.twin.clock.now());
  const handler = checkHandler(input.Handler);
  const limits = checkLimits(input.Timeout, input.MemorySize);
  const environment = checkEnvironment(input.Environment?.Variables);
  const role = passRole(ctx, input.Role ?? '', name, model.region);
  const code = codeOf(input.Code);
  const vpc = resolveVpcConfig(ctx.twin, model, input.VpcConfig);
  if (vpc) checkVpcPermissions(ctx.twin, role, name, model.region);
  const fn = createFunction(
    ctx.twin,
    model,
    {
      name,
      runtime,
      handler,
      role: role.roleArn,
      description: input.Description ?? '',
      timeout: limits.timeout ?? 3,
      memorySize: limits.memorySize ?? 128,
      environment,
      code,
      vpc,
      tags: { ...(input.Tags ?? {}) },
    },
    `${role.roleId}:${name}`,
  );
  return renderConfiguration(ctx.twin, fn);
}

function configurationChange(
  input: UpdateFunctionConfigurationRequest,
  ctx: RequestContext,
  model: LambdaModel,
  name: string,
): { change: ConfigurationChange; role: RoleInfo | undefined } {
  const limits = checkLimits(input.Timeout, input.MemorySize);
  const role = input.Role !== undefined ? passRole(ctx, input.Role, name, model.region) : undefined;
  const change: ConfigurationChange = {
    ...(input.Runtime !== undefined && {
      runtime: checkRuntime(input.Runtime, 'update', ctx.twin.clock.now()),
    }),
    ...(input.Handler !== undefined && { handler: checkHandler(input.Handler) }),
    ...(role && { role: role.roleArn }),
    ...(input.Description !== undefined && { description: input.Description }),
    ...limits,
    ...(input.Environment !== undefined && { environment: checkEnvironment(input.Environment.Variables) }),
  };
  if (input.VpcConfig !== undefined) change.vpc = resolveVpcConfig(ctx.twin, model, input.VpcConfig) ?? null;
  return { change, role };
}

export const functionHandlers: Record<string, Handler<LambdaModel>> = {
  CreateFunction: createHandler,

  GetFunction(_model, input: GetFunctionRequest, ctx): GetFunctionResponse {
    const { fn } = resolveFunction(ctx, input.FunctionName, input.Qualifier);
    return {
      Configuration: renderConfiguration(ctx.twin, fn),
      Code: {
        RepositoryType: 'S3',
        Location: `${ctx.origin}/_twin/lambda/code/${encodeURIComponent(fn.arn)}?revision=${fn.revisionId}`,
      },
      ...(Object.keys(fn.tags).length && { Tags: { ...fn.tags } }),
    };
  },

  GetFunctionConfiguration(_model, input: GetFunctionConfigurationRequest, ctx): FunctionConfiguration {
    return renderConfiguration(ctx.twin, resolveFunction(ctx, input.FunctionName, input.Qualifier).fn);
  },

  ListFunctions(model, input: ListFunctionsRequest, ctx): ListFunctionsResponse {
    const size = input.MaxItems ?? 50;
    if (size < 1 || size > 10_000) {
      throw validationError(
        'maxItems',
        size,
        `Member must have value ${size < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`,
      );
    }
    const all = [...model.functions.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const start = input.Marker
      ? all.findIndex((f) => f.name > Buffer.from(input.Marker!, 'base64url').toString())
      : 0;
    const page = start < 0 ? [] : all.slice(start, start + size);
    const more = start >= 0 && start + size < all.length;
    return {
      Functions: page.map((fn) => renderConfiguration(ctx.twin, fn)),
      ...(more && { NextMarker: Buffer.from(page.at(-1)!.name).toString('base64url') }),
    };
  },

  DeleteFunction(_model, input: DeleteFunctionRequest, ctx): object {
    const { model, fn } = resolveFunction(ctx, input.FunctionName, input.Qualifier);
    deleteFunction(ctx.twin, model, fn);
    return {};
  },

  UpdateFunctionConfiguration(_model, input: UpdateFunctionConfigurationRequest, ctx): FunctionConfiguration {
    const { model, fn } = resolveFunction(ctx, input.FunctionName);
    requireUpdatable(fn, ctx.twin.clock.now(), input.RevisionId);
    const { change, role } = configurationChange(input, ctx, model, fn.name);
    const vpcAfter = change.vpc === undefined ? fn.vpc : change.vpc;
    if (vpcAfter) {
      checkVpcPermissions(
        ctx.twin,
        role ?? checkRole(ctx.twin, fn.role, fn.arn, model.region),
        fn.name,
        model.region,
      );
    }
    const roleId = (role ?? checkRole(ctx.twin, change.role ?? fn.role, fn.arn, model.region)).roleId;
    updateConfiguration(ctx.twin, model, fn, change, `${roleId}:${fn.name}`);
    return renderConfiguration(ctx.twin, fn);
  },

  UpdateFunctionCode(_model, input: UpdateFunctionCodeRequest, ctx): FunctionConfiguration {
    const { fn } = resolveFunction(ctx, input.FunctionName);
    requireUpdatable(fn, ctx.twin.clock.now(), input.RevisionId);
    checkRuntimeUpdatable(fn.runtime, ctx.twin.clock.now());
    const code = codeOf({ ZipFile: input.ZipFile, S3Bucket: input.S3Bucket, ImageUri: input.ImageUri });
    if (!input.DryRun) updateCode(ctx.twin, fn, code);
    return renderConfiguration(ctx.twin, fn);
  },
};
