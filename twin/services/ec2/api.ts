/**
 * EC2 — VPCs, subnets, route tables, gateways, peering, security groups,
 * NACLs, instances and their ENIs, Transit Gateways, VPC endpoints.
 *
 * LIMITATIONS
 * - IPv4 only; no IPv6 CIDRs, egress-only gateways or dual-stack subnets.
 * - No default VPC: an account starts empty.
 * - (each api/ file adds what it does not emulate)
 */
import * as sdk from '@aws-sdk/client-ec2';
import { defineService, type Handler } from '../../core/service.ts';
import { unauthorizedOperation } from './errors.ts';
import type { Ec2Model } from './model/index.ts';
import { Ec2Model as Model } from './model/index.ts';

const handlers: Record<string, Handler<Ec2Model>> = {
  // each api/<resource>.ts spreads its handlers here
};

export const ec2 = defineService<Ec2Model>({
  signingName: 'ec2',
  iamPrefix: 'ec2',
  protocol: 'ec2Query',
  sdk,
  namespace: 'com.amazonaws.ec2',
  xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  version: '2016-11-15',
  createModel: (twin, accountId, region) => new Model(twin, accountId, region),
  accessDenied: (message) => unauthorizedOperation(message),
  handlers,
});
