import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  type ServiceConfiguration,
  type State,
  type VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { LabDeviationError } from '../../../../helpers/errors.ts';
import {
  connectionDiffs,
  getServiceConfiguration,
  listAllowedPrincipals,
  listConnections,
  serviceDiffs,
  serviceLoadBalancerDiffs,
} from '../../../../helpers/privatelink/service.ts';
import { awsError, mockedClients } from '../support.ts';

/** P1, P3 and P6's readings of the endpoint service: what it fronts, who may connect, who is connected. */

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const ROOT = 'arn:aws:iam::111111111111:root';
const config: ServiceConfiguration = {
  ServiceId: 'vpce-svc-1',
  ServiceState: 'Available',
  AcceptanceRequired: true,
  NetworkLoadBalancerArns: ['arn:lb/1'],
};
const intended = { acceptanceRequired: true, allowedPrincipals: [ROOT] };
/** EC2 answers states in lower case on the wire, whatever the SDK's enum spells. */
const connection = (id: string, state: string, owner = '111111111111'): VpcEndpointConnection => ({
  ServiceId: 'vpce-svc-1',
  VpcEndpointId: id,
  VpcEndpointOwner: owner,
  VpcEndpointState: state as State,
});

describe('the endpoint service (P1, P3)', () => {
  test('available, acceptance required, exactly the intended principal is no difference', () => {
    expect(
      serviceDiffs({ ...config, ServiceState: 'available' as never }, [{ Principal: ROOT }], intended),
    ).toEqual([]);
  });

  test('acceptance off, `*`, a stranger, a missing principal and a failed state are each named', () => {
    expect(
      serviceDiffs(
        { ...config, ServiceState: 'Failed', AcceptanceRequired: false },
        [{ Principal: '*' }, { Principal: 'arn:aws:iam::999999999999:root' }],
        intended,
      ),
    ).toEqual([
      'state Failed, not Available',
      'accepts connections without asking the provider',
      'allows every AWS principal (*)',
      'also allows arn:aws:iam::999999999999:root',
      `does not allow ${ROOT}`,
    ]);
  });

  test('the service fronts exactly the intended load balancer', () => {
    expect(serviceLoadBalancerDiffs(config, 'arn:lb/1')).toEqual([]);
    expect(
      serviceLoadBalancerDiffs({ ...config, NetworkLoadBalancerArns: ['arn:lb/2'] }, 'arn:lb/1'),
    ).toEqual(['the service also fronts arn:lb/2', 'the service does not front arn:lb/1']);
  });

  test('a service that is gone is a deviation', async () => {
    ec2
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .rejects(awsError('InvalidVpcEndpointServiceId.NotFound', 400));
    await expect(getServiceConfiguration(mockedClients(), 'vpce-svc-1')).rejects.toBeInstanceOf(
      LabDeviationError,
    );
  });

  test('every page of principals and connections is read', async () => {
    ec2
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ AllowedPrincipals: [{ Principal: ROOT }], NextToken: 't' })
      .resolves({ AllowedPrincipals: [{ Principal: '*' }] });
    expect((await listAllowedPrincipals(mockedClients(), 'vpce-svc-1')).map((p) => p.Principal)).toEqual([
      ROOT,
      '*',
    ]);
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [connection('vpce-1', 'available')], NextToken: 't' })
      .resolves({ VpcEndpointConnections: [connection('vpce-2', 'pendingAcceptance')] });
    expect((await listConnections(mockedClients(), 'vpce-svc-1')).map((c) => c.VpcEndpointId)).toEqual([
      'vpce-1',
      'vpce-2',
    ]);
  });
});

describe('the connections (P6)', () => {
  const mine = [{ vpc: 'client-vpc', endpointId: 'vpce-1' }];

  test("the intended endpoint's accepted connection, and others only waiting or refused, is no difference", () => {
    const seen = [
      connection('vpce-1', 'available'),
      connection('vpce-9', 'pendingAcceptance', '999999999999'),
      connection('vpce-8', 'rejected', '999999999999'),
    ];
    expect(connectionDiffs(seen, mine)).toEqual([]);
  });

  test('a rejected or waiting intended endpoint, a missing one and a stranger let through are named', () => {
    expect(connectionDiffs([connection('vpce-1', 'rejected')], mine)).toEqual([
      "client-vpc's vpce-1 is rejected, not accepted and available",
    ]);
    expect(connectionDiffs([], [{ vpc: 'client-vpc' }])).toEqual(['no endpoint from client-vpc']);
    expect(connectionDiffs([connection('vpce-2', 'available')], mine)).toEqual([
      "no connection from client-vpc's vpce-1",
      'also accepted: vpce-2 (111111111111) available',
    ]);
    expect(
      connectionDiffs(
        [connection('vpce-1', 'available'), connection('vpce-9', 'pending', '999999999999')],
        mine,
      ),
    ).toEqual(['also accepted: vpce-9 (999999999999) pending']);
  });
});
