import { ec2 } from '../../../../twin/services/ec2/api.ts';
import type { Ec2Model } from '../../../../twin/services/ec2/model/index.ts';
import type {
  InstanceState,
  NetworkAclEntryState,
  NetworkAclState,
  NetworkInterfaceState,
  RouteTableState,
  RouteTarget,
  SecurityGroupRuleState,
  SecurityGroupState,
  SubnetState,
  VpcState,
} from '../../../../twin/services/ec2/model/state.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';

/**
 * Builds network states by putting records straight into the Ec2Model
 * maps, so the reachability engine is tested without the EC2 API. Every
 * VPC starts like AWS's: a main route table with the local route, a default
 * ACL that allows everything, a default security group.
 */
export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';

export const allowAllAcl: NetworkAclEntryState[] = [
  { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
  { ruleNumber: 32767, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
  { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
  { ruleNumber: 32767, egress: true, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
];

type Rule = Omit<SecurityGroupRuleState, 'id' | 'groupId'>;

export const icmpFrom = (cidr: string): Rule => ({
  egress: false,
  protocol: 'icmp',
  fromPort: -1,
  toPort: -1,
  cidrIpv4: cidr,
});
export const tcpFrom = (cidr: string, port: number): Rule => ({
  egress: false,
  protocol: 'tcp',
  fromPort: port,
  toPort: port,
  cidrIpv4: cidr,
});
export const allOut: Rule = { egress: true, protocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' };

export class BaseLab {
  readonly clock: ManualClock;
  readonly twin: Twin;
  protected azCounter = 0;

  /** Builds into `twin` (whose clock must be a ManualClock), or a fresh twin. */
  constructor(twin?: Twin) {
    this.twin = twin ?? new Twin({ clock: new ManualClock(), seed: 'network-fixture' });
    if (!(this.twin.clock instanceof ManualClock))
      throw new Error('LabBuilder needs a twin on a ManualClock');
    this.clock = this.twin.clock;
  }

  model(account = ACCOUNT): Ec2Model {
    return this.twin.model(ec2, account, REGION);
  }

  protected id(prefix: string): string {
    return this.twin.ids.resource(prefix);
  }

  vpc(cidr: string, account = ACCOUNT): VpcState {
    const m = this.model(account);
    const vpc: VpcState = {
      id: this.id('vpc'),
      ownerId: account,
      region: REGION,
      cidr,
      state: 'available',
      enableDnsSupport: true,
      enableDnsHostnames: true,
      mainRouteTableId: '',
      defaultNetworkAclId: '',
      defaultSecurityGroupId: '',
      tags: {},
    };
    m.vpcs.set(vpc.id, vpc);
    const main = this.routeTable(vpc, [], true);
    const acl: NetworkAclState = {
      id: this.id('acl'),
      vpcId: vpc.id,
      ownerId: account,
      isDefault: true,
      entries: [...allowAllAcl],
      associations: [],
      tags: {},
    };
    m.networkAcls.set(acl.id, acl);
    const sg = this.securityGroup(vpc, [allOut]);
    Object.assign(vpc, {
      mainRouteTableId: main.id,
      defaultNetworkAclId: acl.id,
      defaultSecurityGroupId: sg.id,
    });
    return vpc;
  }

  /** A subnet in AZ `az` (0 → use1-az1, 1 → use1-az2). */
  subnet(vpc: VpcState, cidr: string, az = 0): SubnetState {
    const subnet: SubnetState = {
      id: this.id('subnet'),
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      cidr,
      availabilityZone: `${REGION}${'abc'[az]}`,
      availabilityZoneId: `use1-az${az + 1}`,
      mapPublicIpOnLaunch: false,
      state: 'available',
      tags: {},
    };
    this.model(vpc.ownerId).subnets.set(subnet.id, subnet);
    return subnet;
  }

  routeTable(vpc: VpcState, subnets: SubnetState[] = [], main = false): RouteTableState {
    const table: RouteTableState = {
      id: this.id('rtb'),
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      routes: [{ destinationCidr: vpc.cidr, target: { kind: 'local' }, origin: 'CreateRouteTable' }],
      associations: [
        ...(main ? [{ id: this.id('rtbassoc'), main: true }] : []),
        ...subnets.map((s) => ({ id: this.id('rtbassoc'), subnetId: s.id, main: false })),
      ],
      tags: {},
    };
    this.model(vpc.ownerId).routeTables.set(table.id, table);
    return table;
  }

  /** Adds a route to `table` (a CIDR or a prefix-list id). */
  route(table: RouteTableState, destination: string, target: RouteTarget): void {
    const dest = destination.startsWith('pl-')
      ? { destinationPrefixListId: destination }
      : { destinationCidr: destination };
    table.routes.push({ ...dest, target, origin: 'CreateRoute' });
  }

  mainTable(vpc: VpcState): RouteTableState {
    return this.model(vpc.ownerId).routeTables.get(vpc.mainRouteTableId)!;
  }

  securityGroup(vpc: VpcState, rules: Rule[]): SecurityGroupState {
    const id = this.id('sg');
    const group: SecurityGroupState = {
      id,
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      name: id,
      description: 'test',
      rules: rules.map((r) => ({ ...r, id: this.id('sgr'), groupId: id })),
      tags: {},
    };
    this.model(vpc.ownerId).securityGroups.set(id, group);
    return group;
  }

  /** A custom ACL with `entries` (no implicit allow), associated with `subnets`. */
  networkAcl(vpc: VpcState, subnets: SubnetState[], entries: NetworkAclEntryState[]): NetworkAclState {
    const acl: NetworkAclState = {
      id: this.id('acl'),
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      isDefault: false,
      entries,
      associations: subnets.map((s) => ({ id: this.id('aclassoc'), subnetId: s.id })),
      tags: {},
    };
    this.model(vpc.ownerId).networkAcls.set(acl.id, acl);
    return acl;
  }

  eni(
    subnet: SubnetState,
    ip: string,
    groups: SecurityGroupState[],
    extra: Partial<NetworkInterfaceState> = {},
  ): NetworkInterfaceState {
    const eni: NetworkInterfaceState = {
      id: this.id('eni'),
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      ownerId: subnet.ownerId,
      availabilityZone: subnet.availabilityZone,
      privateIp: ip,
      securityGroupIds: groups.map((g) => g.id),
      interfaceType: 'interface',
      status: 'in-use',
      description: '',
      requesterManaged: false,
      sourceDestCheck: true,
      tags: {},
      ...extra,
    };
    this.model(subnet.ownerId).networkInterfaces.set(eni.id, eni);
    return eni;
  }

  instance(
    subnet: SubnetState,
    ip: string,
    groups: SecurityGroupState[],
    extra: Partial<InstanceState> = {},
  ): { instance: InstanceState; eni: NetworkInterfaceState } {
    const id = this.id('i');
    const eni = this.eni(subnet, ip, groups, {
      attachment: { id: this.id('eni-attach'), instanceId: id, deviceIndex: 0, status: 'attached' },
    });
    const instance: InstanceState = {
      id,
      ownerId: subnet.ownerId,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      imageId: 'ami-0abcdef1234567890',
      instanceType: 't3.micro',
      state: 'running',
      launchTime: this.clock.now(),
      primaryNetworkInterfaceId: eni.id,
      privateIp: ip,
      tags: {},
      ...extra,
    };
    this.model(subnet.ownerId).instances.set(id, instance);
    return { instance, eni };
  }
}

/** The `n`th address of a /24-or-larger block: hostIn('10.40.1.0/24', 10) → '10.40.1.10'. */
export function hostIn(cidr: string, n: number): string {
  const [a, b, c] = cidr.split('/')[0]!.split('.');
  return `${a}.${b}.${c}.${n}`;
}
