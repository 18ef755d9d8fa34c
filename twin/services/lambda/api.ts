/**
 * Lambda — functions that really run (twin/runtime), in or out of a VPC:
 * CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
 * DeleteFunction, UpdateFunctionConfiguration, UpdateFunctionCode,
 * Invoke (RequestResponse, Event, DryRun; LogType Tail), AddPermission,
 * RemovePermission, GetPolicy, TagResource, UntagResource, ListTags, and
 * SQS event source mappings (Create/Get/List/Update/Delete).
 *
 * LIMITATIONS
 * - The deliberate difference from Lambda (and, for Python, the few below): a function's environment
 *   has AWS_ENDPOINT_URL set to the twin, so the SDK inside it calls the
 *   twin (LocalStack does the same). Its calls are still judged by its
 *   network position: a VPC function's credentials carry its ENI, and a
 *   call with no path (no endpoint, no NAT) hangs until it gives up.
 * - Runtimes past their "Block function create" / "Block function update"
 *   dates (common/lambda-runtimes.json, from the Lambda runtimes page, judged on the
 *   twin's clock) are refused as Lambda refuses them; of the rest,
 *   Node.js runtimes run on the twin's own Node.js in worker threads, and
 *   the Python runtimes of that table (python3.9 on; older ones AWS may
 *   still accept are refused) in a local python3 process
 *   (twin/runtime/python), below; Zip packages given as Code.ZipFile only (no
 *   S3 code, images, layers, extensions, SnapStart, response streaming,
 *   JSON log format or log levels). Packages the bundle does not carry
 *   resolve from the twin's node_modules (AWS provides only the SDK).
 *   Handlers cannot change the working directory; child processes they
 *   start are not confined by the twin's network hooks. A callback
 *   handler's result is returned at once (as callbackWaitsForEmptyEventLoop
 *   false would), and a synchronous handler without a callback answers
 *   null at once instead of when its event loop empties.
 * - Python functions run on whichever python3 with boto3 this machine has
 *   (Debian's /usr/bin/python3 first), not on the runtime's own Python
 *   version or its bundled boto3; none found, Invoke answers
 *   InvalidRuntimeException (502) saying so. The SDK reaches the twin
 *   because the bootstrap sets every botocore client's default
 *   endpoint_url (an explicit endpoint_url the handler passes is kept, and
 *   judged as any other host); the environment also carries
 *   AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (pointing at nothing,
 *   so the machine's own AWS config cannot change the SDK) and
 *   PYTHONDONTWRITEBYTECODE. Memory Size does not bound the process; Max
 *   Memory Used is its peak resident size. The context has no
 *   cognito identity; code that opens sockets below Python's socket module
 *   (C extensions) or starts processes is not confined. print() lines and
 *   logging records are log events as on Lambda; the log format is text only.
 * - Networking inside a function never leaves 127.0.0.1: a host the
 *   function can reach is answered by a stand-in that accepts TCP, answers
 *   plain HTTP with a short 200 and closes TLS handshakes; an unreachable
 *   one never connects. UDP to non-loopback addresses is dropped.
 * - Only $LATEST: no versions, aliases, Publish, provisioned or reserved
 *   concurrency, function URLs, code signing, EFS or destinations. An
 *   invocation during an update runs the new configuration. At most 10
 *   invocations run at once in the whole twin (TooManyRequestsException
 *   beyond it); Event invocations are not retried.
 * - Memory Size bounds the worker's heap; Max Memory Used is its heap.
 *   GetFunction's Code.Location is a twin URL that is not served.
 * - Every function is Pending for the profile's lambdaActivationMs, VPC or
 *   not; Hyperplane ENIs exist from CreateFunction on (AWS makes them
 *   during Pending); a function's calls leave from its first ENI; an unused
 *   ENI is released 20 minutes later in the realistic profile (a fixed
 *   figure: the profile has no key for it). DeleteFunction is accepted
 *   while Pending.
 * - Event source mappings: SQS queues only; the polling is the SQS side's.
 */
import * as sdk from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../core/context.ts';
import type { AuthorizationRequest } from '../../core/service.ts';
import { defineService } from '../../core/service.ts';
import { mappingHandlers } from './api/event-source-mappings.ts';
import { functionHandlers } from './api/functions.ts';
import { invokeHandlers } from './api/invoke.ts';
import { permissionHandlers } from './api/permissions.ts';
import { findFunction } from './api/shared.ts';
import { accessDenied } from './errors.ts';
import { LambdaModel } from './model/index.ts';
import { parseFunctionRef } from './model/names.ts';
import { policyDocument } from './model/policy.ts';

/** IAM actions whose name differs from the operation's ("Actions, resources, and condition keys for AWS Lambda"). */
const ACTIONS: Record<string, string> = { Invoke: 'lambda:InvokeFunction' };
const ON_STAR = new Set(['ListFunctions', 'ListEventSourceMappings', 'CreateEventSourceMapping']);
const ON_TAGGED = new Set(['TagResource', 'UntagResource', 'ListTags']);
const ON_MAPPING = new Set(['GetEventSourceMapping', 'UpdateEventSourceMapping', 'DeleteEventSourceMapping']);

/**
 * Function operations are judged on the function's ARN, with its
 * resource-based policy (which may admit other accounts); event source
 * mappings on their own ARN.
 */
function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest {
  const action = ACTIONS[operation] ?? `lambda:${operation}`;
  if (ON_STAR.has(operation)) return { action, resource: '*' };
  if (ON_TAGGED.has(operation)) return { action, resource: String(input.Resource ?? '*') };
  if (ON_MAPPING.has(operation)) {
    return {
      action,
      resource: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${String(input.UUID ?? '')}`,
    };
  }
  const ref = parseFunctionRef(input.FunctionName as string | undefined, ctx.accountId, ctx.region);
  const fn = operation === 'CreateFunction' ? undefined : findFunction(ctx, input.FunctionName as string)?.fn;
  return {
    action,
    resource: ref.arn,
    resourceAccount: ref.accountId,
    ...(fn && { resourcePolicy: policyDocument(fn) }),
  };
}

export const lambda = defineService<LambdaModel>({
  signingName: 'lambda',
  iamPrefix: 'lambda',
  protocol: 'restJson1',
  sdk,
  namespace: 'com.amazonaws.lambda',
  createModel: (twin, accountId, region) => new LambdaModel(twin, accountId, region),
  accessDenied: (message) => accessDenied(message),
  authorization,
  handlers: { ...functionHandlers, ...invokeHandlers, ...permissionHandlers, ...mappingHandlers },
});
