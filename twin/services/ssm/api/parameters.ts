import type {
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
} from '@aws-sdk/client-ssm';
import type { RequestContext } from '../../../core/context.ts';
import type { AuthorizationRequest, Handler } from '../../../core/service.ts';
import { type PublicParameter, publicAmiParameters } from '../../ec2/model/public-images.ts';
import { invalidFilterKey, invalidNextToken, parameterNotFound, validationError } from '../errors.ts';
import type { SsmModel } from '../model/index.ts';

/**
 * Parameter Store, read-only, for the public parameters AWS publishes under
 * `/aws/service/` (here: the Amazon Linux AMI ids of the region, from
 * ec2/model/public-images.ts), as operators read them before RunInstances:
 * `aws ssm get-parameter(s) --names /aws/service/ami-amazon-linux-latest/…`.
 * The twin holds no parameters of your own, so any other name is not found.
 */

/** `arn:aws:ssm:REGION::parameter/aws/service/…`: public parameters have no account in their ARN. */
export function parameterArn(region: string, name: string): string {
  return `arn:aws:ssm:${region}::parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

const ARN = /^arn:aws[\w-]*:ssm:([a-z0-9-]+):(\d{12})?:parameter(\/.*)$/;

/** A Name as given (name or ARN) → the parameter name in this region, if it could be one here. */
function nameIn(region: string, ref: string): string | undefined {
  const arn = ARN.exec(ref);
  if (!arn) return ref;
  return arn[1] === region ? arn[3] : undefined;
}

function find(region: string, ref: string): PublicParameter | undefined {
  const name = nameIn(region, ref);
  return publicAmiParameters(region).find((p) => p.name === name);
}

function render(region: string, p: PublicParameter): Parameter {
  return {
    Name: p.name,
    Type: 'String',
    Value: p.value,
    Version: 1,
    LastModifiedDate: new Date(p.lastModified),
    ARN: parameterArn(region, p.name),
    DataType: 'text',
  };
}

/**
 * The authorization each read needs ("Actions, resources, and condition keys
 * for AWS Systems Manager": ssm:GetParameter, ssm:GetParameters and
 * ssm:GetParametersByPath on the `parameter` resource, the path's ARN for
 * GetParametersByPath). GetParameters is checked per name in its handler.
 */
export function parameterAuthorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest | 'in-handler' | undefined {
  if (operation === 'GetParameter')
    return { action: 'ssm:GetParameter', resource: arnFor(ctx.region, String(input.Name ?? '')) };
  if (operation === 'GetParametersByPath')
    return {
      action: 'ssm:GetParametersByPath',
      resource: parameterArn(ctx.region, String(input.Path ?? '')),
    };
  if (operation === 'GetParameters') return 'in-handler';
  return undefined;
}

function arnFor(region: string, ref: string): string {
  return ARN.test(ref) ? ref : parameterArn(region, ref);
}

/** GetParametersByPath: "Valid Range: Minimum value of 1. Maximum value of 10" for MaxResults. */
const PATH_PAGE_MAX = 10;
/** GetParameters: "Array Members: Minimum number of 1 item. Maximum number of 10 items." */
const NAMES_MAX = 10;

export const parameterHandlers: Record<string, Handler<SsmModel>> = {
  GetParameter(model, input: GetParameterRequest): GetParameterResult {
    const found = find(model.region, input.Name ?? '');
    if (!found) throw parameterNotFound(input.Name ?? '');
    return { Parameter: render(model.region, found) };
  },

  GetParameters(model, input: GetParametersRequest, ctx): GetParametersResult {
    const names = input.Names ?? [];
    if (names.length < 1 || names.length > NAMES_MAX)
      throw validationError(
        'names',
        `[${names.join(', ')}]`,
        names.length < 1
          ? 'Member must have length greater than or equal to 1'
          : `Member must have length less than or equal to ${NAMES_MAX}`,
      );
    for (const name of names)
      ctx.authorize({ action: 'ssm:GetParameters', resource: arnFor(model.region, name) });
    const parameters: Parameter[] = [];
    const invalid: string[] = [];
    for (const name of new Set(names)) {
      const found = find(model.region, name);
      if (found) parameters.push(render(model.region, found));
      else invalid.push(name);
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  },

  GetParametersByPath(model, input: GetParametersByPathRequest): GetParametersByPathResult {
    const path = input.Path ?? '';
    if (!path.startsWith('/'))
      throw validationError('path', path, 'Member must satisfy regular expression pattern: ^/.*');
    if (input.ParameterFilters?.length)
      throw invalidFilterKey('The twin does not apply ParameterFilters to public parameters.');
    const max = input.MaxResults ?? PATH_PAGE_MAX;
    if (!Number.isInteger(max) || max < 1 || max > PATH_PAGE_MAX)
      throw validationError(
        'maxResults',
        max,
        max < 1
          ? 'Member must have value greater than or equal to 1'
          : 'Member must have value less than or equal to 10',
      );
    // "If the parameter path hierarchy contains more levels below the path you specify, only the
    // parameters one level below are returned" unless Recursive (API_GetParametersByPath).
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const under = publicAmiParameters(model.region).filter(
      (p) => p.name.startsWith(prefix) && (input.Recursive || !p.name.slice(prefix.length).includes('/')),
    );
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > under.length) throw invalidNextToken();
    const end = start + max;
    return {
      Parameters: under.slice(start, end).map((p) => render(model.region, p)),
      ...(end < under.length && { NextToken: Buffer.from(String(end)).toString('base64url') }),
    };
  },
};
