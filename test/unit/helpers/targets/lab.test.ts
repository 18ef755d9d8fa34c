import { describe, expect, test } from 'vitest';
import { clientsFor } from '../../../../helpers/clients.ts';
import type { ResolvedTargets } from '../../../../helpers/targets/index.ts';
import { Lab } from '../../../../helpers/targets/lab.ts';

/** The resolved targets seen the way checks ask about them. */

const PEER_ROLE = 'arn:aws:iam::210987654321:role/meshcheck';

function lab(network = true): Lab {
  return new Lab({
    region: 'eu-west-1',
    accounts: { lab: { id: '123456789012' }, peer: { id: '210987654321', assumeRoleArn: PEER_ROLE } },
    accountIds: { lab: '123456789012', peer: '210987654321' },
    ...(network && {
      network: {
        vpcs: [
          { name: 'app-vpc', account: 'lab', subnets: [{ name: 'app-a' }, { name: 'app-b' }] },
          { name: 'peer-vpc', account: 'peer', subnets: [{ name: 'peer-a' }] },
        ],
        hosts: [{ name: 'web', subnet: 'app-a', account: 'lab' }],
        peerings: [],
      },
    }),
    ids: {
      vpc: { 'app-vpc': 'vpc-0a', 'peer-vpc': 'vpc-0p' },
      subnet: { 'app-a': 'subnet-0a', 'app-b': 'subnet-0b', 'peer-a': 'subnet-0p' },
      instance: { web: 'i-0web' },
    },
  } as unknown as ResolvedTargets);
}

describe('Lab', () => {
  test('the default account is the lab, through its role when it has one', () => {
    const role = 'arn:aws:iam::123456789012:role/runner';
    const withRole = new Lab({ ...lab().targets, accounts: { lab: { assumeRoleArn: role } } } as never);
    expect(withRole.clients()).toBe(clientsFor({ region: 'eu-west-1', assumeRoleArn: role }));
  });

  test("clients are the account's: the lab's own credentials, another account through its role", () => {
    const l = lab();
    expect(l.clients()).toBe(clientsFor({ region: 'eu-west-1' }));
    expect(l.clients('lab')).toBe(l.clients());
    expect(l.clients('peer')).toBe(clientsFor({ region: 'eu-west-1', assumeRoleArn: PEER_ROLE }));
    expect(l.clients('peer')).not.toBe(l.clients());
  });

  test('a host carries its instance id', () => {
    expect(lab().host('web')).toEqual({ name: 'web', subnet: 'app-a', account: 'lab', instanceId: 'i-0web' });
  });

  test('a host not in targets is named', () => {
    expect(() => lab().host('db')).toThrow(new Error('no host db in targets'));
  });

  test('a subnet knows its VPC and both ids', () => {
    expect(lab().vpcOfSubnet('app-b').name).toBe('app-vpc');
    expect(lab().vpcOfSubnet('peer-a').name).toBe('peer-vpc');
    expect(lab().subnetIds('peer-a')).toEqual({ subnetId: 'subnet-0p', vpcId: 'vpc-0p' });
    expect(lab().subnetIds('app-b')).toEqual({ subnetId: 'subnet-0b', vpcId: 'vpc-0a' });
  });

  test('a subnet not in targets is named', () => {
    expect(() => lab().vpcOfSubnet('nowhere')).toThrow(new Error('no subnet nowhere in targets'));
    expect(() => lab().subnetIds('nowhere')).toThrow(new Error('no subnet nowhere in targets'));
  });

  test('targets without a network say so', () => {
    expect(() => lab(false).network).toThrow(new Error('no network in targets'));
    expect(() => lab(false).host('web')).toThrow(new Error('no network in targets'));
    expect(lab().network.hosts).toHaveLength(1);
  });

  test('account ids are the resolved ones', () => {
    expect(lab().accountId('peer')).toBe('210987654321');
    expect(lab().accountId('lab')).toBe('123456789012');
  });
});
