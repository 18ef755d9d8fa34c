import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import type { FunctionSpec } from '../../../../twin/runtime/index.ts';
import { issueRoleSession } from '../../../../twin/services/sts/sessions.ts';
import type { Twin } from '../../../../twin/twin.ts';

/** A deployment package from file contents (`{ 'index.mjs': 'export const handler = …' }`). */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

let n = 0;

/** A function spec as the Lambda service would hand it to the runtime. */
export function specOf(
  twin: Twin,
  files: Record<string, string>,
  overrides: Partial<Omit<FunctionSpec, 'code' | 'credentials'>> & { position?: CallerPosition } = {},
): FunctionSpec {
  n += 1;
  const zip = zipOf(files);
  const sha256 = createHash('sha256').update(zip).digest('base64');
  const name = overrides.functionName ?? `fn-${n}`;
  const functionArn = `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
  return {
    key: `${functionArn}#${sha256}`,
    functionArn,
    functionName: name,
    accountId: '123456789012',
    region: 'us-east-1',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    memorySize: 128,
    timeoutSeconds: 3,
    environment: {},
    logGroupName: `/aws/lambda/${name}`,
    position: undefined,
    ...overrides,
    code: { zip, sha256 },
    credentials: () =>
      issueRoleSession(twin, {
        roleArn: 'arn:aws:iam::123456789012:role/runner',
        roleId: 'AROAEXAMPLEEXAMPLE123',
        sessionName: name,
        durationSeconds: 43_200,
        ...(overrides.position && { position: overrides.position }),
      }),
  };
}
