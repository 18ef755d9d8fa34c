import { createHash } from 'node:crypto';
import { Runtime } from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import type { Principal } from '../../../core/principal.ts';
import { decide } from '../../../iam/authorize.ts';
import { RESERVED_VARIABLES } from '../../../runtime/variables.ts';
import type { Twin } from '../../../twin.ts';
import { findRole, type RoleInfo } from '../../iam/lookups.ts';
import { invalidParameter, validationError } from '../errors.ts';
import type { FunctionCode } from './index.ts';
import { isBlocked, openRuntimes, type RuntimeUse, scheduleOf } from './runtimes.ts';

/**
 * The checks CreateFunction and the Update operations make of their
 * inputs (Lambda API reference, CreateFunction; Lambda Developer Guide,
 * "Lambda execution role" and "Working with Lambda environment variables").
 */

/**
 * A runtime Lambda knows (the SDK's enum), not blocked for this use on the
 * twin's clock by Lambda's deprecation schedule (runtimes.ts), with
 * Lambda's own wording: "The runtime parameter of nodejs16.x is no longer
 * supported for creating or updating AWS Lambda functions. We recommend you
 * use a supported runtime while creating or updating functions."
 * (InvalidParameterValueException). The twin then runs Node.js, and the
 * Python runtimes of the deprecation table (python3.9 on) with a local
 * python3; an older Python runtime AWS may still accept is refused as not
 * emulated (stricter than Lambda, never looser).
 */
export function checkRuntime(runtime: string | undefined, use: RuntimeUse, now: number): string {
  const known = Object.values(Runtime) as string[];
  if (!runtime || !known.includes(runtime)) {
    throw validationError(
      'runtime',
      runtime ?? '',
      `Member must satisfy enum value set: [${known.join(', ')}]`,
    );
  }
  if (isBlocked(runtime, use, now)) throw runtimeBlocked(runtime);
  const runs = runtime.startsWith('nodejs') || (runtime.startsWith('python') && scheduleOf(runtime));
  if (!runs) {
    throw invalidParameter(
      `The twin runs Node.js and Python functions only (${openRuntimes(use, now).join(', ')}); ${runtime} is not emulated.`,
    );
  }
  return runtime;
}

/** UpdateFunctionCode on a function whose runtime is past "Block function update" is refused. */
export function checkRuntimeUpdatable(runtime: string, now: number): void {
  if (isBlocked(runtime, 'update', now)) throw runtimeBlocked(runtime);
}

function runtimeBlocked(runtime: string): Error {
  return invalidParameter(
    `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
  );
}

export function checkHandler(handler: string | undefined): string {
  if (handler && handler.length <= 128 && /^[^\s]+$/.test(handler)) return handler;
  throw validationError('handler', handler ?? '', 'Member must satisfy regular expression pattern: [^\\s]+');
}

/** Timeout 1–900 s (default 3), MemorySize 128–10240 MB (default 128). */
export function checkLimits(
  timeout: number | undefined,
  memorySize: number | undefined,
): { timeout?: number; memorySize?: number } {
  if (timeout !== undefined && timeout < 1)
    throw validationError('timeout', timeout, 'Member must have value greater than or equal to 1');
  if (timeout !== undefined && timeout > 900)
    throw validationError('timeout', timeout, 'Member must have value less than or equal to 900');
  if (memorySize !== undefined && memorySize < 128)
    throw validationError('memorySize', memorySize, 'Member must have value greater than or equal to 128');
  if (memorySize !== undefined && memorySize > 10240)
    throw validationError('memorySize', memorySize, 'Member must have value less than or equal to 10240');
  return { ...(timeout !== undefined && { timeout }), ...(memorySize !== undefined && { memorySize }) };
}

/** Reserved keys are refused with the message Lambda gives. */
export function checkEnvironment(variables: Record<string, string> | undefined): Record<string, string> {
  const used = Object.keys(variables ?? {}).filter((k) =>
    (RESERVED_VARIABLES as readonly string[]).includes(k),
  );
  if (used.length) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${used.join(', ')}`,
    );
  }
  return { ...(variables ?? {}) };
}

/** A real zip: Lambda unpacks it at upload and refuses what it cannot read. */
export function checkCode(zip: Uint8Array | undefined): FunctionCode {
  if (!zip?.length) throw invalidParameter('Please provide a source for function code.');
  try {
    unzipSync(zip);
  } catch {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  return {
    zip: new Uint8Array(zip),
    sha256: createHash('sha256').update(zip).digest('base64'),
    size: zip.length,
  };
}

/** Lambda itself, assuming the execution role for the function. */
function lambdaService(accountId: string): Principal {
  return {
    kind: 'service',
    accountId,
    arn: 'lambda.amazonaws.com',
    userId: 'lambda.amazonaws.com',
    service: 'lambda.amazonaws.com',
  };
}

/**
 * The execution role must exist and its trust policy must let
 * lambda.amazonaws.com assume it: "The role defined for the function
 * cannot be assumed by Lambda." (InvalidParameterValueException).
 */
export function checkRole(
  twin: Twin,
  roleArn: string | undefined,
  functionArn: string,
  region: string,
): RoleInfo {
  if (!roleArn || !/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(roleArn)) {
    throw validationError(
      'role',
      roleArn ?? '',
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
    );
  }
  const role = findRole(twin, roleArn);
  const account = functionArn.split(':')[4] ?? '';
  const trusted =
    role &&
    decide(
      twin,
      lambdaService(account),
      {
        action: 'sts:AssumeRole',
        resource: role.roleArn,
        resourcePolicy: role.trustPolicy,
        resourceAccount: role.accountId,
        resourcePolicyRequired: true,
        context: { 'aws:SourceAccount': account, 'aws:SourceArn': functionArn },
      },
      { region, time: twin.clock.now(), sourceIp: '127.0.0.1', secureTransport: true },
    ).allowed;
  if (!role || !trusted)
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  return role;
}

/**
 * The execution role as Lambda uses it for the function's network
 * interfaces: "Lambda uses your function's permissions to create and
 * manage network interfaces" (Lambda Developer Guide, "Giving Lambda
 * functions access to resources in an Amazon VPC").
 */
export function checkVpcPermissions(twin: Twin, role: RoleInfo, functionName: string, region: string): void {
  const principal: Principal = {
    kind: 'assumed-role',
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${functionName}`,
    userId: `${role.roleId}:${functionName}`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName: functionName,
  };
  for (const action of ['CreateNetworkInterface', 'DescribeNetworkInterfaces', 'DeleteNetworkInterface']) {
    const decision = decide(
      twin,
      principal,
      { action: `ec2:${action}`, resource: '*' },
      { region, time: twin.clock.now(), sourceIp: '127.0.0.1', secureTransport: true },
    );
    if (!decision.allowed) {
      throw invalidParameter(
        `The provided execution role does not have permissions to call ${action} on EC2`,
      );
    }
  }
}
