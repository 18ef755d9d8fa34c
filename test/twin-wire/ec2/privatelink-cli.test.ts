import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { CONSUMER, PROVIDER, providerSide, STRANGER } from '../../unit/twin/privatelink/support.ts';

/**
 * The seed's PrivateLink steps as an operator types them with the AWS CLI
 * (2.9): the provider publishes its NLB as a service requiring acceptance
 * and allows the consumer's account; the consumer requests an endpoint;
 * the provider sees the request and accepts it.
 */
let twin: TestTwin;
// The twin's clock: the test moves it past provisioning and acceptance instead of sleeping.
const clock = new ManualClock(Date.now());
let nlbArn: string;

beforeAll(async () => {
  twin = await startTestTwin({
    clock,
    accounts: [PROVIDER, CONSUMER, STRANGER],
    lab: async (t) => {
      nlbArn = (await providerSide(t, clock)).nlbArn;
    },
  });
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

async function ec2As(account: string, args: string[]): Promise<{ code: number; stderr: string; json: Json }> {
  return aws(twin, ['ec2', ...args], twin.clientConfig(account).credentials);
}

async function ok(account: string, args: string[]): Promise<Json> {
  const result = await ec2As(account, args);
  if (result.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} → ${result.code}: ${result.stderr}`);
  return result.json;
}

describe.runIf(hasAwsCli)('PrivateLink through the AWS CLI', () => {
  test('create the service, allow the consumer, request an endpoint, see it and accept it', async () => {
    const created = await ok(PROVIDER, [
      'create-vpc-endpoint-service-configuration',
      '--network-load-balancer-arns',
      nlbArn,
      '--acceptance-required',
    ]);
    const serviceId: string = created.ServiceConfiguration.ServiceId;
    const serviceName: string = created.ServiceConfiguration.ServiceName;
    expect(created.ServiceConfiguration.AcceptanceRequired).toBe(true);

    const allowed = await ok(PROVIDER, [
      'modify-vpc-endpoint-service-permissions',
      '--service-id',
      serviceId,
      '--add-allowed-principals',
      `arn:aws:iam::${CONSUMER}:root`,
    ]);
    expect(allowed.ReturnValue).toBe(true);

    const vpcId: string = (await ok(CONSUMER, ['create-vpc', '--cidr-block', '10.0.0.0/16'])).Vpc.VpcId;
    const subnetId: string = (
      await ok(CONSUMER, [
        'create-subnet',
        '--vpc-id',
        vpcId,
        '--cidr-block',
        '10.0.1.0/24',
        '--availability-zone',
        'us-east-1a',
      ])
    ).Subnet.SubnetId;
    const endpointArgs = [
      'create-vpc-endpoint',
      '--vpc-endpoint-type',
      'Interface',
      '--vpc-id',
      vpcId,
      '--service-name',
      serviceName,
      '--subnet-ids',
      subnetId,
    ];
    // The stranger's account is not allowed: AWS answers as for a service that does not exist.
    const refused = await ec2As(STRANGER, [
      ...endpointArgs.slice(0, 4),
      await strangerVpc(),
      ...endpointArgs.slice(5),
    ]);
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain('(InvalidServiceName)');

    const endpoint = (await ok(CONSUMER, endpointArgs)).VpcEndpoint;
    expect(endpoint.State).toBe('pendingAcceptance');

    const connections = await ok(PROVIDER, [
      'describe-vpc-endpoint-connections',
      '--filters',
      `Name=service-id,Values=${serviceId}`,
    ]);
    expect(connections.VpcEndpointConnections).toEqual([
      expect.objectContaining({
        VpcEndpointId: endpoint.VpcEndpointId,
        VpcEndpointOwner: CONSUMER,
        VpcEndpointState: 'pendingAcceptance',
      }),
    ]);

    const accepted = await ok(PROVIDER, [
      'accept-vpc-endpoint-connections',
      '--service-id',
      serviceId,
      '--vpc-endpoint-ids',
      endpoint.VpcEndpointId,
    ]);
    expect(accepted.Unsuccessful).toEqual([]);
    clock.advance(delay(twin.server.twin.profile, 'privateLinkAcceptanceMs'));
    await twin.server.twin.scheduler.runDue();
    const described = await ok(CONSUMER, [
      'describe-vpc-endpoints',
      '--vpc-endpoint-ids',
      endpoint.VpcEndpointId,
    ]);
    expect(described.VpcEndpoints[0].State).toBe('available');
  });
});

async function strangerVpc(): Promise<string> {
  return (await ok(STRANGER, ['create-vpc', '--cidr-block', '10.9.0.0/16'])).Vpc.VpcId;
}
