import type * as sdk from '@aws-sdk/client-ec2';
import { invoke } from '../../../../twin/core/invoke.ts';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import type { Ec2Model } from '../../../../twin/services/ec2/model/index.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { DEFAULT_ACCOUNTS, rootCredential, Twin } from '../../../../twin/twin.ts';

export const [ALICE, BOB] = DEFAULT_ACCOUNTS;

// biome-ignore lint/suspicious/noExplicitAny: tests read outputs field by field
type Output = any;
export const REGION = 'us-east-1';

/** A twin on a manual clock, and EC2 calls made in-process as an account's root. */
export function networkTwin() {
  const clock = new ManualClock();
  const twin = new Twin({ clock });
  const call = (
    operation: string,
    input: object = {},
    account: string = ALICE,
    region = REGION,
  ): Promise<Output> => invoke(twin, ec2, operation, input, { credential: rootCredential(account), region });
  const model = (account: string = ALICE, region = REGION): Ec2Model => twin.model(ec2, account, region);
  /** A VPC with one subnet, returned as the SDK shapes them. */
  const vpcWithSubnet = async (
    cidr = '10.20.0.0/16',
    subnetCidr = '10.20.1.0/24',
    account: string = ALICE,
  ) => {
    const { Vpc } = (await call('CreateVpc', { CidrBlock: cidr }, account)) as sdk.CreateVpcResult;
    const { Subnet } = (await call(
      'CreateSubnet',
      { VpcId: Vpc!.VpcId, CidrBlock: subnetCidr },
      account,
    )) as sdk.CreateSubnetResult;
    return { vpc: Vpc!, subnet: Subnet! };
  };
  return { twin, clock, call, model, vpcWithSubnet };
}
