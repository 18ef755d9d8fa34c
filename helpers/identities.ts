import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { type AwsClients, clientsFor } from './clients.ts';
import { reading } from './errors.ts';

/**
 * Acts as another principal of the lab: assumes `roleArn` from the runner's
 * credentials and hands back clients that call as that role session.
 *
 * @example
 *   const finance = await assumeRole(lab.clients(), financeRoleArn, { region, runId });
 *   await finance.s3.send(new GetObjectCommand(…));
 */
export async function assumeRole(
  from: AwsClients,
  roleArn: string,
  options: { region: string; runId: string },
): Promise<AwsClients> {
  const { Credentials } = await reading(`assume ${roleArn}`, () =>
    from.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: `meshcheck-${options.runId}`.slice(0, 64),
        DurationSeconds: 3600,
      }),
    ),
  );
  return clientsFor({
    region: options.region,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}
