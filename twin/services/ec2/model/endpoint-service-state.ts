import type { Tags } from './state.ts';

/**
 * An endpoint service of your own as the provider's model holds it
 * (endpoint-service-configurations.ts has its operations). Kept apart from
 * them so the model index can name the type without an import cycle.
 */
export interface EndpointServicePermission {
  /** `vpce-svc-perm-…` (DescribeVpcEndpointServicePermissions, AllowedPrincipal.ServicePermissionId). */
  id: string;
  /** An ARN (`arn:aws:iam::123456789012:root`, `…:role/R`, `…:user/U`) or `*`. */
  principal: string;
  type: 'All' | 'Account' | 'Role' | 'User' | 'Service';
}

export interface EndpointServiceConfigurationState {
  /** `vpce-svc-` and 17 hex digits. */
  id: string;
  /** `com.amazonaws.vpce.us-east-1.vpce-svc-…` */
  name: string;
  ownerId: string;
  region: string;
  state: 'Pending' | 'Available' | 'Deleting' | 'Deleted' | 'Failed';
  acceptanceRequired: boolean;
  networkLoadBalancerArns: string[];
  /** A private DNS name stays `pendingVerification`: the twin cannot see a TXT record on a public domain. */
  privateDnsName?: string;
  allowedPrincipals: EndpointServicePermission[];
  creationTimestamp: number;
  tags: Tags;
}
