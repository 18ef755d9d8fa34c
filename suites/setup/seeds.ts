import type { SeedRef } from '../../reports/check-meta.ts';

/**
 * The documents the checklist was drawn from: lab guides and walkthroughs
 * whose steps and validation lists became checks. Each check names the item
 * it comes from (CHECKLIST.md shows it), so a reader can go back to why it
 * exists; the documents themselves are not part of the project.
 */
export const SEEDS = {
  mesh: 'Building a Secure Multi-VPC Mesh Using AWS Transit Gateway, Private Endpoints & Serverless Applications (seed 000)',
  peering: 'AWS VPC Multi-Account Secure Networking: peering, bastion hosts, S3 endpoints (seed 001)',
  zeroTrust: 'Zero Trust Network with VPC Endpoints (seed 002)',
  dataProtection: 'Data protection in event driven architectures (seed 003)',
  vpcNetworking: 'Day 13: Advanced VPC Networking & Connectivity (seed 004)',
} as const;

/** An item of a seed document, in that document's words. */
export function seed(doc: keyof typeof SEEDS, item: string): SeedRef {
  return { doc, item };
}
