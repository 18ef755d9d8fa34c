import { AwsError } from '../../core/errors.ts';

/**
 * Route 53's errors by shape name, with the messages of the Route 53 API
 * Reference (each operation's Errors section) and those Route 53 answers.
 * Statuses come from the SDK's schema (`httpError`) where it declares one.
 */

/** "No hosted zone found with ID: Z…" (GetHostedZone, 404). */
export const noSuchHostedZone = (id: string) =>
  new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`);

export const noSuchChange = (id: string) =>
  new AwsError('NoSuchChange', `Could not find resource with ID: ${id}`);

/** CreateHostedZone: "The hosted zone you're trying to create already exists" for the CallerReference. */
export const hostedZoneAlreadyExists = (name: string, reference: string) =>
  new AwsError(
    'HostedZoneAlreadyExists',
    `A hosted zone has already been created with the specified caller reference. Name: ${name}, CallerReference: ${reference}`,
  );

/**
 * "A hosted zone with the specified name already exists and is already
 * associated with the Amazon VPC that you specified" (CreateHostedZone /
 * AssociateVPCWithHostedZone, ConflictingDomainExists).
 */
export const conflictingDomainExists = (name: string, vpcId: string) =>
  new AwsError(
    'ConflictingDomainExists',
    `The VPC ${vpcId} is already associated with another hosted zone named ${name}`,
  );

/**
 * "The VPC ID that you specified either isn't a valid ID or the current
 * account is not authorized to access this VPC" (InvalidVPCId).
 */
export const invalidVpcId = (vpcId: string) =>
  new AwsError(
    'InvalidVPCId',
    `The VPC ID that you specified either isn't a valid ID or the current account is not authorized to access this VPC: ${vpcId}`,
    { status: 400 },
  );

export const invalidInput = (message: string) => new AwsError('InvalidInput', message, { status: 400 });

export const invalidDomainName = (name: string) =>
  new AwsError('InvalidDomainName', `The specified domain name is not valid: ${name}`, { status: 400 });

/** "The hosted zone contains resource records that are not SOA or NS records" (DeleteHostedZone). */
export const hostedZoneNotEmpty = () =>
  new AwsError(
    'HostedZoneNotEmpty',
    'The specified hosted zone contains non-required resource record sets and so cannot be deleted.',
  );

/** "The VPC that you're trying to disassociate from the private hosted zone is the last VPC". */
export const lastVpcAssociation = () =>
  new AwsError(
    'LastVPCAssociation',
    "The VPC that you are trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone. Amazon Route 53 doesn't support disassociating the last VPC from a hosted zone.",
  );

export const vpcAssociationNotFound = (vpcId: string, zoneId: string) =>
  new AwsError(
    'VPCAssociationNotFound',
    `The specified VPC ${vpcId} is not associated with the hosted zone ${zoneId}.`,
  );

export const vpcAssociationAuthorizationNotFound = (vpcId: string, zoneId: string) =>
  new AwsError(
    'VPCAssociationAuthorizationNotFound',
    `The VPC ${vpcId} has not been authorized to be associated with the hosted zone ${zoneId}.`,
    { status: 404 },
  );

/** "Associating the specified VPC with the specified hosted zone has not been authorized." */
export const notAuthorized = (message: string) => new AwsError('NotAuthorizedException', message);

/** "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't support …". */
export const publicZoneVpcAssociation = () =>
  new AwsError(
    'PublicZoneVPCAssociation',
    "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't support associating a VPC with a public hosted zone.",
    { status: 400 },
  );

/**
 * ChangeResourceRecordSets: "This exception contains a list of messages
 * that might contain one or more error messages"; Route 53 prints them as a
 * bracketed list (`[Tried to create … but it already exists, …]`).
 */
export const invalidChangeBatch = (messages: string[]) =>
  new AwsError('InvalidChangeBatch', `[${messages.join(', ')}]`, { status: 400 });

export const invalidPaginationToken = () =>
  new AwsError(
    'InvalidPaginationToken',
    'The value that you specified to get the next page of results is not valid.',
    { status: 400 },
  );

export const accessDenied = (message: string) => new AwsError('AccessDenied', message, { status: 403 });
