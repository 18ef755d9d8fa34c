import { existsSync } from 'node:fs';
import { serve, type TwinServer } from '../../twin/server.ts';
import { rootCredential, Twin, type TwinOptions } from '../../twin/twin.ts';
import { AWS_CLI, runAwsCli } from './aws-cli.ts';

export { AWS_CLI };

/**
 * A twin served on a free 127.0.0.1 port for a test file, and the ways a
 * test talks to it: SDK client config for any account's root, and the AWS
 * CLI (Debian's, /usr/bin/aws) with the same credentials.
 */
export interface TestTwin {
  server: TwinServer;
  endpoint: string;
  /** Client config for the root of `accountId` (the first account by default). */
  clientConfig(accountId?: string): {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    maxAttempts: number;
  };
  close(): Promise<void>;
}

export async function startTestTwin(
  options: TwinOptions & { lab?: (twin: Twin) => void | Promise<void> } = {},
): Promise<TestTwin> {
  const server = await serve({
    build: async (origin) => {
      const { lab, ...twinOptions } = options;
      const twin = new Twin({ ...twinOptions, origin });
      await lab?.(twin);
      return twin;
    },
  });
  return {
    server,
    endpoint: server.endpoint,
    clientConfig(accountId = server.twin.accounts[0]!) {
      const root = rootCredential(accountId);
      return {
        region: 'us-east-1',
        endpoint: server.endpoint,
        credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
        maxAttempts: 1,
      };
    },
    close: () => server.close(),
  };
}

export const hasAwsCli = existsSync(AWS_CLI);

/**
 * Runs Debian's AWS CLI (2.9) against the twin. It ignores AWS_ENDPOINT_URL,
 * so `--endpoint-url` is passed on every command (twin-protocols.md §4).
 */
export async function aws(
  twin: TestTwin,
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = twin.clientConfig()
    .credentials,
): Promise<{ code: number; stdout: string; stderr: string; json: unknown }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const out = await runAwsCli([...args, '--endpoint-url', twin.endpoint, '--output', 'json'], env);
  return { ...out, json: out.code === 0 ? parseJson(out.stdout) : undefined };
}

/** `aws s3 …` prints text, not JSON; only JSON output is parsed. */
function parseJson(stdout: string): unknown {
  try {
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    return undefined;
  }
}
