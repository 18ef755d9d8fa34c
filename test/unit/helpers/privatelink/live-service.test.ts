import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type State,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import {
  privateLinkPlacements,
  reachRows,
  refusedRows,
  unresolvedRows,
} from '../../../../helpers/privatelink/live-rows.ts';
import { findVisibleService, getEndpointAddresses } from '../../../../helpers/privatelink/live-service.ts';
import { awsError, mockedClients } from '../support.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());
const clients = mockedClients();
const svcName = 'com.amazonaws.vpce.us-east-1.vpce-svc-0abc';

describe('the consumer endpoint the record points at', () => {
  test("its addresses are its network interfaces' private addresses", async () => {
    ec2
      .on(DescribeVpcEndpointsCommand, { VpcEndpointIds: ['vpce-1'] })
      .resolves({
        VpcEndpoints: [
          { VpcEndpointId: 'vpce-1', State: 'Available', NetworkInterfaceIds: ['eni-1', 'eni-2'] },
        ],
      })
      .on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: ['eni-1', 'eni-2'] })
      .resolves({
        NetworkInterfaces: [{ PrivateIpAddress: '10.0.1.10' }, { PrivateIpAddress: '10.0.2.10' }],
      });
    await expect(getEndpointAddresses(clients, 'vpce-1')).resolves.toEqual({
      endpointId: 'vpce-1',
      addresses: ['10.0.1.10', '10.0.2.10'],
    });
  });

  test('none resolved, or deleted since: no addresses; unreadable: cannot tell', async () => {
    await expect(getEndpointAddresses(clients, undefined)).resolves.toEqual({
      endpointId: undefined,
      addresses: [],
    });
    ec2
      .on(DescribeVpcEndpointsCommand)
      .resolves({ VpcEndpoints: [{ VpcEndpointId: 'vpce-1', State: 'deleted' as State }] });
    await expect(getEndpointAddresses(clients, 'vpce-1')).resolves.toEqual({
      endpointId: undefined,
      addresses: [],
    });
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(getEndpointAddresses(clients, 'vpce-1')).rejects.toThrow(CannotTellError);
  });
});

describe('P12 whether an account sees the service', () => {
  test('listed is found', async () => {
    ec2.on(DescribeVpcEndpointServicesCommand, { ServiceNames: [svcName] }).resolves({
      ServiceNames: [svcName],
      ServiceDetails: [{ ServiceName: svcName, AcceptanceRequired: true }],
    });
    await expect(findVisibleService(clients, svcName)).resolves.toMatchObject({ ServiceName: svcName });
  });

  test('InvalidServiceName (how AWS hides a service from a principal it does not allow) is not listed', async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(awsError('InvalidServiceName'));
    await expect(findVisibleService(clients, svcName)).resolves.toBeUndefined();
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceNames: [], ServiceDetails: [] });
    await expect(findVisibleService(clients, svcName)).resolves.toBeUndefined();
  });

  test('a denial is never "not listed": the runner lacks the permission, so cannot tell', async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(awsError('UnauthorizedOperation', 403));
    const error = await findVisibleService(clients, svcName).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).kind).toBe('denied');
  });
});

describe('rows from targets', () => {
  const svc = {
    name: 'Svc',
    account: 'lab',
    loadBalancer: { name: 'nlb', vpc: 'Shared', subnets: ['s1'], port: 8443, healthyTargets: 1 },
    acceptanceRequired: true,
    allowedPrincipals: ['lab'],
    endpoints: [{ account: 'lab', vpc: 'Prod', subnets: ['p1'], securityGroups: ['sg'] }],
    dns: {
      zone: 'Svc.Internal.',
      account: 'lab',
      vpcs: ['Prod'],
      record: { name: 'api', type: 'CNAME' as const },
    },
    live: { reach: ['prod'], unresolved: ['dev'], refusedAccounts: ['other'] },
  };
  const targets = { privateLink: { services: [svc, { ...svc, name: 'NoDns', dns: undefined }] } };

  test('reach and unresolved rows need a record; refused rows do not', () => {
    expect(reachRows(targets).map((r) => [r.service, r.placement, r.record, r.port])).toEqual([
      ['Svc', 'prod', 'api.svc.internal', 8443],
    ]);
    expect(unresolvedRows(targets).map((r) => r.placement)).toEqual(['dev']);
    expect(refusedRows(targets).map((r) => [r.service, r.account])).toEqual([
      ['Svc', 'other'],
      ['NoDns', 'other'],
    ]);
    expect(privateLinkPlacements(targets)).toEqual(['prod', 'dev']);
    expect(privateLinkPlacements({})).toEqual([]);
  });
});
