/**
 * SSM — Run Command and the managed-node inventory, as connectivity checks
 * use them: DescribeInstanceInformation, SendCommand (AWS-RunShellScript),
 * GetCommandInvocation, ListCommandInvocations, ListCommands, CancelCommand.
 *
 * Also Parameter Store, read-only, for AWS's public AMI parameters
 * (GetParameter, GetParameters, GetParametersByPath).
 *
 * LIMITATIONS
 * - Only the AWS-RunShellScript document; no other documents, Session
 *   Manager, associations, automation or inventory.
 * - Parameter Store holds only the public parameters under
 *   `/aws/service/ami-amazon-linux-latest/` of each region:
 *   al2023-ami-kernel-default-{x86_64,arm64}, al2023-ami-kernel-6.1-{…},
 *   al2023-ami-minimal-kernel-default-{…}, al2023-ami-minimal-kernel-6.1-{…},
 *   amzn2-ami-kernel-5.10-hvm-{x86_64,arm64}-gp2 and amzn2-ami-hvm-x86_64-gp2,
 *   whose values are the image ids EC2 DescribeImages lists (stand-ins, not
 *   AWS's ids). No other `/aws/service/` namespace (global-infrastructure,
 *   ECS/EKS-optimized, Windows, Canonical…), no parameters of your own
 *   (PutParameter is not served), no version or label selectors (`name:3`),
 *   no ParameterFilters (refused), no history; every parameter is Version 1,
 *   Type String, DataType text.
 * - A node is managed when it has an instance profile; the twin keeps no
 *   registration history, so a node whose agent never could register is
 *   listed as ConnectionLost instead of absent. A profile whose role the
 *   IAM state does not know does not block the agent (role unknown).
 * - Scripts run in a small interpreter: ping, nc/ncat, echo, true, false,
 *   hostname, sleep, whoami, pwd, set, exit, with `;`, `&&`, `||`, `$?`,
 *   quotes and redirections to /dev/null or 2>&1. Pipes, background jobs,
 *   redirections to files and other programs (curl, dig…) are not
 *   interpreted; an unknown program is "command not found" (exit 127).
 * - Every TCP port of a running instance accepts connections (the twin does
 *   not know what listens); VPC endpoint interfaces accept 443 only; AWS
 *   service endpoints do not answer ping; UDP (nc -u) is not modelled.
 * - A probe's path is deterministic: all packets of a ping are answered or
 *   none are (no partial loss). Replies come from Linux (TTL 64 less routed hops).
 * - An invocation's outcome is decided at the first read after its delivery
 *   time, with the lab as it is then; a change made between delivery and
 *   that read is seen by the command. ExecutionTimedOut invocations report
 *   ResponseCode -1. Output is not written to S3 or CloudWatch Logs;
 *   notifications are not sent; MaxConcurrency is recorded, not enforced.
 * - In the `fast` profile a real second of a command lasts a twin
 *   millisecond; the printed times (ping's `time 2003ms`) stay real.
 */
import * as sdk from '@aws-sdk/client-ssm';
import { defineService } from '../../core/service.ts';
import { commandHandlers } from './api/commands.ts';
import { instanceHandlers } from './api/instances.ts';
import { parameterAuthorization, parameterHandlers } from './api/parameters.ts';
import { accessDenied } from './errors.ts';
import { SsmModel } from './model/index.ts';

export const ssm = defineService<SsmModel>({
  signingName: 'ssm',
  iamPrefix: 'ssm',
  protocol: 'awsJson1_1',
  sdk,
  namespace: 'com.amazonaws.ssm',
  targetPrefix: 'AmazonSSM',
  createModel: (twin, accountId, region) => new SsmModel(twin, accountId, region),
  accessDenied: (message) => accessDenied(message),
  // SendCommand is authorized on the document and on every instance it targets, so it is checked in its handler.
  // Parameters are authorized on their own ARNs (api/parameters.ts).
  authorization: (operation, input, ctx) =>
    operation === 'SendCommand' ? 'in-handler' : parameterAuthorization(operation, input, ctx),
  handlers: { ...instanceHandlers, ...commandHandlers, ...parameterHandlers },
});
