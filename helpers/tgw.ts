import {
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  SearchTransitGatewayRoutesCommand,
  type TransitGateway,
  type TransitGatewayVpcAttachment,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.ts';
import { CannotTellError, LabDeviationError, reading } from './errors.ts';

export async function getTransitGateway({ ec2 }: AwsClients, id: string): Promise<TransitGateway> {
  const out = await reading(`describe Transit Gateway ${id}`, () =>
    ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] })),
  );
  const tgw = out.TransitGateways?.[0];
  if (!tgw) throw new LabDeviationError(`Transit Gateway ${id} no longer exists`);
  return tgw;
}

export async function getTgwVpcAttachment(
  { ec2 }: AwsClients,
  id: string,
): Promise<TransitGatewayVpcAttachment> {
  const out = await reading(`describe TGW attachment ${id}`, () =>
    ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })),
  );
  const attachment = out.TransitGatewayVpcAttachments?.[0];
  if (!attachment) throw new LabDeviationError(`TGW attachment ${id} no longer exists`);
  return attachment;
}

/** Attachment ids associated with a TGW route table. */
export async function listTgwAssociations(
  { ec2 }: AwsClients,
  routeTableId: string,
): Promise<{ attachmentId: string; state: string }[]> {
  const out = await reading(`list associations of ${routeTableId}`, () =>
    ec2.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: routeTableId }),
    ),
  );
  return (out.Associations ?? []).map((a) => ({
    attachmentId: a.TransitGatewayAttachmentId ?? '',
    state: a.State ?? '',
  }));
}

export interface TgwRoute {
  cidr: string;
  /** Attachment id, or `blackhole`. */
  attachment: string;
  type: string;
  state: string;
}

/**
 * Every route of a TGW route table, static and propagated, active and
 * blackhole. SearchTransitGatewayRoutes requires a filter (aws-fidelity.md),
 * so the two states are asked for explicitly.
 */
export async function listTgwRoutes({ ec2 }: AwsClients, routeTableId: string): Promise<TgwRoute[]> {
  const out = await reading(`search the routes of ${routeTableId}`, () =>
    ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: routeTableId,
        Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }],
        MaxResults: 1000,
      }),
    ),
  );
  // More than MaxResults routes are not paged: AWS says so and stops. A partial list could hide the
  // very route a check looks for, so it is cannot-tell (SearchTransitGatewayRoutes, EC2 API Reference).
  if (out.AdditionalRoutesAvailable)
    throw new CannotTellError(
      `${routeTableId} has more than 1000 routes; the suite read only the first 1000`,
    );
  return (out.Routes ?? []).map((r) => ({
    cidr: r.DestinationCidrBlock ?? '',
    attachment:
      r.State === 'blackhole'
        ? 'blackhole'
        : (r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId ?? 'blackhole'),
    type: r.Type ?? '',
    state: r.State ?? '',
  }));
}
