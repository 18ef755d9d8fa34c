import { applicationConfigDrifts } from './application-config.ts';
import { applicationLiveDrifts } from './application-live.ts';
import { applicationPrivilegeDrifts } from './application-privilege.ts';
import { dataProtectionDrifts } from './data-protection.ts';
import { endpointDrifts } from './endpoints.ts';
import { aclDrifts } from './network-acl.ts';
import { tgwDrifts } from './network-tgw.ts';
import { vpcDrifts } from './network-vpc.ts';
import { observabilityDrifts } from './observability.ts';
import { observabilityDeliveryDrifts } from './observability-delivery.ts';
import { privateLinkDrifts } from './privatelink.ts';
import type { Drift } from './types.ts';

/** The drift catalogue: every change the drift matrix proves the suite catches. */
export const drifts: Drift[] = [
  ...tgwDrifts,
  ...vpcDrifts,
  ...aclDrifts,
  ...endpointDrifts,
  ...dataProtectionDrifts,
  ...observabilityDrifts,
  ...observabilityDeliveryDrifts,
  ...applicationConfigDrifts,
  ...applicationLiveDrifts,
  ...applicationPrivilegeDrifts,
  ...privateLinkDrifts,
];

export type { Drift, Operator } from './types.ts';
