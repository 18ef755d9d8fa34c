import { REGION } from '../lab/reference/accounts.ts';
import { referenceLab } from '../lab/reference/index.ts';
import { serve, type TwinServer } from '../twin/server.ts';
import { type ProfileName, profileNamed } from '../twin/state/profile.ts';

/**
 * The twin holding the reference lab, served on a free 127.0.0.1 port, and
 * the environment that points the SDK at it as the lab's runner.
 */
export interface EmbeddedTwin {
  server: TwinServer;
  env: Record<string, string>;
}

export async function startEmbeddedTwin(
  profile: ProfileName,
  scale: number,
  port = 0,
): Promise<EmbeddedTwin> {
  let env: Record<string, string> = {};
  const server = await serve({
    port,
    build: async (origin) => {
      const { twin, runner } = await referenceLab({ origin, profile: profileNamed(profile, scale) });
      env = {
        AWS_ENDPOINT_URL: origin,
        AWS_ACCESS_KEY_ID: runner.accessKeyId,
        AWS_SECRET_ACCESS_KEY: runner.secretAccessKey,
        AWS_SESSION_TOKEN: runner.sessionToken ?? '',
        AWS_REGION: REGION,
      };
      return twin;
    },
  });
  return { server, env };
}

/** Applies env for the SDK, dropping settings that would point it elsewhere. */
export function pointSdkAt(env: Record<string, string>): void {
  for (const key of [
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
  ]) {
    delete process.env[key];
  }
  for (const key of Object.keys(process.env))
    if (key.startsWith('AWS_ENDPOINT_URL_')) delete process.env[key];
  Object.assign(process.env, env);
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
}
