import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { build } from 'esbuild';
import { strToU8, zipSync } from 'fflate';

/**
 * What Lambda tests need: deployment packages (plain sources zipped, or a
 * handler bundled with the AWS SDK by esbuild, cached under .cache/ by
 * source hash so runs stay fast) and execution roles.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A zip of the given files, with a fixed timestamp. */
export function zipOf(files: Record<string, string>): Uint8Array {
  const mtime = new Date('2020-01-01T00:00:00Z');
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])),
  );
}

/**
 * Bundles `source` (an ES module exporting `handler`, importing @aws-sdk/*)
 * into `index.js` (CommonJS) and zips it; cached by the source's hash.
 */
export async function bundledZip(source: string): Promise<Uint8Array> {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 20);
  const cached = join(ROOT, '.cache', 'lambda-test-bundles', `${hash}.zip`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    const result = await build({
      stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const zip = zipSync({
      'index.js': [result.outputFiles[0]!.contents, { mtime: new Date('2020-01-01T00:00:00Z') }],
    });
    await mkdir(dirname(cached), { recursive: true });
    await writeFile(cached, zip);
    return zip;
  }
}

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
