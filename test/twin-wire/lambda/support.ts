import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { strToU8, zipSync } from 'fflate';
import { bundleLambdaSource } from '../../../probes/bundle.ts';

/**
 * What Lambda tests need: deployment packages (plain sources zipped, or a
 * handler bundled with the AWS SDK by esbuild, cached under .cache/ by
 * source hash so runs stay fast) and execution roles.
 */

/** A zip of the given files, with a fixed timestamp. */
export function zipOf(files: Record<string, string>): Uint8Array {
  const mtime = new Date('2020-01-01T00:00:00Z');
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])),
  );
}

/** `source` (an ES module exporting `handler`, importing @aws-sdk/*) bundled as `index.js` and zipped. */
export const bundledZip = bundleLambdaSource;

export const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An execution role trusting Lambda, with AWS managed policies and inline statements. */
export async function executionRole(
  iam: IAMClient,
  name: string,
  options: { managed?: string[]; statements?: object[]; trust?: string } = {},
): Promise<string> {
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: options.trust ?? LAMBDA_TRUST }),
  );
  for (const policy of options.managed ?? []) {
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: `arn:aws:iam::aws:policy/service-role/${policy}`,
      }),
    );
  }
  if (options.statements?.length) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'inline',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: options.statements }),
      }),
    );
  }
  return Role!.Arn!;
}
