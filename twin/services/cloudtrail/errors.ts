import { AwsError } from '../../core/errors.ts';

/**
 * CloudTrail's errors, by shape name (statuses from the SDK's schemas).
 * Messages as CloudTrail words them, from answers users report and moto's
 * recordings of them (getmoto/moto, moto/cloudtrail/exceptions.py):
 * "Unknown trail: <arn> for the user: <account>", "Trail <name> already
 * exists for customer: <account>" (trussworks/terraform-aws-cloudtrail#238),
 * "Incorrect S3 bucket policy is detected for bucket: <name>"
 * (hashicorp/terraform#6388), "Access denied. Check the trust
 * relationships for your role." / "Access denied. Check the permissions for
 * your role." (cloudposse/terraform-aws-cloudtrail-cloudwatch-alarms#2,
 * aws/aws-cli#5098), "You must specify a role ARN as well as a log group."
 * (pulumi/docs#5117).
 */
const e = (code: string, message: string) => new AwsError(code, message);

export const trailNotFound = (arn: string, account: string) =>
  e('TrailNotFoundException', `Unknown trail: ${arn} for the user: ${account}`);
export const trailExists = (name: string, account: string) =>
  e('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${account}`);
export const invalidTrailName = (message: string) => e('InvalidTrailNameException', message);
export const bucketMissing = (bucket: string) =>
  e('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist!`);
export const bucketPolicy = (bucket: string) =>
  e('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`);
export const roleTrust = () =>
  e('InvalidCloudWatchLogsRoleArnException', 'Access denied. Check the trust relationships for your role.');
export const roleMissing = () =>
  e('InvalidCloudWatchLogsRoleArnException', 'You must specify a role ARN as well as a log group.');
export const groupMissing = () =>
  e('InvalidCloudWatchLogsLogGroupArnException', 'You must specify a log group as well as a role ARN.');
export const rolePermissions = () =>
  e('InvalidCloudWatchLogsLogGroupArnException', 'Access denied. Check the permissions for your role.');
export const combination = (message: string) => e('InvalidParameterCombinationException', message);
export const invalidParameter = (message: string) => e('InvalidParameterException', message);
export const homeRegion = () =>
  e('InvalidHomeRegionException', 'This operation must be called from the trail’s home Region.');
export const invalidEventSelectors = (message: string) => e('InvalidEventSelectorsException', message);
export const invalidInsightSelectors = (message: string) => e('InvalidInsightSelectorsException', message);
export const insightNotEnabled = (arn: string) =>
  e(
    'InsightNotEnabledException',
    `Trail ${arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`,
  );
export const invalidLookup = (message: string) => e('InvalidLookupAttributesException', message);
export const invalidMaxResults = () => e('InvalidMaxResultsException', 'Value for MaxResults is invalid.');
export const invalidTimeRange = () =>
  e(
    'InvalidTimeRangeException',
    'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.',
  );
export const invalidNextToken = () => e('InvalidNextTokenException', 'Invalid NextToken.');
export const resourceNotFound = (arn: string) => e('ResourceNotFoundException', `Resource ${arn} not found.`);
export const cloudtrailArnInvalid = (arn: string) =>
  e('CloudTrailARNInvalidException', `Invalid ARN: ${arn}`);

/** LookupEvents beyond its quota ("limited to two per second, per account, per Region"). */
export const rateExceeded = () => e('ThrottlingException', 'Rate exceeded');

export const accessDenied = (message: string) =>
  new AwsError('AccessDeniedException', message, { status: 400 });
