import { serve } from '../twin/server.ts';
import { profileNamed } from '../twin/state/profile.ts';
import { rootCredential, Twin } from '../twin/twin.ts';
import { startEmbeddedTwin } from './embedded.ts';

/**
 * Serves the twin alone and says how to use it: the runner's credentials,
 * each account's root (operator) credentials for changing the lab with the
 * AWS CLI, and the commands to point the CLI and `npm run validate` at it.
 * Runs until interrupted.
 */
export async function serveTwin(options: {
  port: number;
  empty: boolean;
  profile: 'fast' | 'realistic';
  scale: number;
}): Promise<number> {
  let endpoint: string;
  let accounts: readonly string[];
  let runnerEnv: Record<string, string> | undefined;
  let close: () => Promise<void>;
  if (options.empty) {
    const server = await serve({
      port: options.port,
      build: (origin) => new Twin({ origin, profile: profileNamed(options.profile, options.scale) }),
    });
    ({ endpoint } = server);
    accounts = server.twin.accounts;
    close = () => server.close();
  } else {
    const embedded = await startEmbeddedTwin(options.profile, options.scale, options.port);
    endpoint = embedded.server.endpoint;
    accounts = embedded.server.twin.accounts;
    runnerEnv = embedded.env;
    close = () => embedded.server.close();
  }
  const lines = [
    `meshcheck twin listening on ${endpoint} (${options.empty ? 'empty' : 'reference lab'}, ${options.profile} profile)`,
    '',
  ];
  if (runnerEnv) {
    lines.push('Run the suite against it as the lab runner:', '');
    lines.push(
      `  export ${Object.entries(runnerEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    lines.push('  npm run validate -- --targets targets.example.json', '');
  }
  lines.push('Change the lab as an operator with the AWS CLI (root credentials of each account):', '');
  for (const account of accounts) {
    const root = rootCredential(account);
    lines.push(`  # account ${account}`);
    lines.push(
      `  AWS_ACCESS_KEY_ID=${root.accessKeyId} AWS_SECRET_ACCESS_KEY=${root.secretAccessKey} AWS_DEFAULT_REGION=us-east-1 \\`,
    );
    lines.push(`    /usr/bin/aws --endpoint-url ${endpoint} ec2 describe-vpcs`);
  }
  lines.push(
    '',
    'AWS CLI 2.9 ignores AWS_ENDPOINT_URL: pass --endpoint-url on every command.',
    'Control: GET/PUT /_twin/faults, PUT /_twin/profile, GET /_twin/state, POST /_twin/reset. Ctrl+C stops the twin.',
  );
  console.log(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await close();
  return 0;
}
