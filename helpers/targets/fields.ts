import { z } from 'zod';
import { hostBitsOf } from '../../common/ip.ts';

/**
 * The value types of the targets file, each as strict as AWS is about it: a
 * value AWS would refuse stops the run before any call (exit 2), naming the
 * field, instead of failing after the suite has started changing things.
 */

// No leading zeros: `010` is 8 to inet_aton (octal) and 10 elsewhere, so common/ip.ts refuses it as ambiguous.
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;

/** A key of the targets' `accounts` map: `lab`, `log-archive`, … */
export const accountKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'an account key such as "lab" or "log-archive"');

export const ipv4 = z.string().regex(new RegExp(`^${IPV4}$`), 'an IPv4 address');

/**
 * A CIDR names a network, so its host bits are zero: `10.0.1.5/16` is
 * either a typo or a different network than the one meant, and AWS answers
 * it with a different block than the file says (CreateVpc / CreateSubnet
 * refuse it: "InvalidParameterValue: Value (…) for parameter cidrBlock is
 * invalid. This is not a valid CIDR block").
 */
function cidrOf(prefix: string, what: string) {
  return (
    z
      .string()
      // abort: a value that is no CIDR has no network to name (`10.0.0.0/` would read as /0).
      .regex(new RegExp(`^${IPV4}\\/${prefix}$`), { message: what, abort: true })
      .superRefine((value, ctx) => {
        const network = hostBitsOf(value);
        if (network)
          ctx.addIssue({
            code: 'custom',
            message: `host bits set: ${value} is not a network address (the network is ${network})`,
          });
      })
  );
}

export const cidr = cidrOf('(3[0-2]|[12]?\\d)', 'an IPv4 CIDR such as 10.0.0.0/16');

/**
 * "The allowed block size is between a /16 netmask (65,536 IP addresses) and
 * /28 netmask (16 IP addresses)", for VPCs and subnets alike (Amazon VPC User
 * Guide, "VPC CIDR blocks" and "Subnet CIDR blocks").
 */
export const blockCidr = cidrOf(
  '(1[6-9]|2[0-8])',
  'an IPv4 CIDR from /16 to /28, as AWS allows for VPCs and subnets',
);

/**
 * A `Name` tag or a resource id. Names are looked up with EC2 describe
 * filters, and there "Wildcards can be included in filter values; * specifies
 * that zero or more characters must match, and ? specifies that exactly one
 * character must match. Use a backslash to escape special characters"
 * (EC2 API Reference, Filter; EC2 User Guide, "List and filter your
 * resources"). A name holding `*` or `?` would match other resources, so
 * names are refused rather than escaped: a literal `*` in a Name tag is rare,
 * and refusing keeps the file's meaning obvious. A tag value holds at most
 * 256 characters (EC2 User Guide, "Tag restrictions").
 */
export const name = z
  .string()
  .min(1, 'a Name tag or a resource id')
  .max(256, 'at most 256 characters (the longest tag value AWS stores)')
  .regex(/^[^*?\\]*$/, 'a literal name: EC2 filters read * and ? as wildcards and \\ as an escape');

/** "Length Constraints: Minimum length of 1. Maximum length of 64. Pattern: [\w+=,.@-]+" (IAM API, CreateRole RoleName). */
export const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (at most 64 letters, digits and +=,.@_-)');

/** A role's ARN: a path of printable ASCII (at most 512), then the role name. */
export const roleArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\x21-\x7e]{0,510}\/)?[\w+=,.@-]{1,64}$/,
    'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)',
  );

const BUCKET_RESERVED: [RegExp, string][] = [
  [/\.\./, 'two adjacent periods'],
  [/^\d+\.\d+\.\d+\.\d+$/, 'the form of an IP address'],
  [/^(xn--|sthree-|amzn-s3-demo-)/, 'a reserved prefix (xn--, sthree-, amzn-s3-demo-)'],
  [
    /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/,
    'a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
  ],
];

/**
 * General purpose bucket naming rules (Amazon S3 User Guide, "Bucket naming
 * rules"): 3–63 lower-case letters, numbers, dots and hyphens, beginning and
 * ending with a letter or number; no two adjacent periods; not an IP address;
 * no reserved prefix or suffix.
 */
export const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  )
  .superRefine((value, ctx) => {
    for (const [pattern, what] of BUCKET_RESERVED)
      if (pattern.test(value))
        ctx.addIssue({ code: 'custom', message: `S3 refuses bucket names with ${what}` });
  });

/**
 * "Topic names must be made up of only uppercase and lowercase ASCII letters,
 * numbers, underscores, and hyphens, and must be between 1 and 256 characters
 * long"; a FIFO topic's ends in `.fifo` (SNS API, CreateTopic).
 */
export const topicName = z
  .string()
  .regex(/^[\w-]{1,256}$|^[\w-]{1,251}\.fifo$/, 'an SNS topic name: at most 256 letters, digits, _ and -');

/**
 * "A queue name can have up to 80 characters. Valid values: alphanumeric
 * characters, hyphens (-), and underscores (_)"; a FIFO queue's ends in
 * `.fifo` (SQS API, CreateQueue).
 */
export const queueName = z
  .string()
  .regex(/^[\w-]{1,80}$|^[\w-]{1,75}\.fifo$/, 'an SQS queue name: at most 80 letters, digits, _ and -');

/**
 * "The alias name must begin with alias/ followed by a name"; AliasName is
 * 1–256 characters of `[a-zA-Z0-9:/_-]` (KMS API, CreateAlias).
 */
export const keyAlias = z
  .string()
  .regex(/^alias\/[\w/-]{1,250}$/, 'a key alias such as alias/app-key (alias/ then letters, digits, / _ -)');
