import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../../policy/policy.ts';
import { statementSpans } from '../../../policy/positions.ts';
import { type PolicyUse, validatePolicy } from '../../../policy/validate.ts';

const V = '2012-10-17';

describe('reading policy documents', () => {
  test('Statement may be one object or an array; elements may be one string or a list', () => {
    const one = parsePolicy({
      Version: V,
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    });
    const many = parsePolicy({
      Version: V,
      Statement: [{ Sid: 'A', Effect: 'Deny', Action: ['s3:*'], NotResource: ['arn:aws:s3:::b'] }],
    });
    expect(one.statements).toEqual([
      { index: 0, effect: 'Allow', action: ['s3:GetObject'], resource: ['*'] },
    ]);
    expect(many.statements[0]).toMatchObject({
      sid: 'A',
      effect: 'Deny',
      action: ['s3:*'],
      notResource: ['arn:aws:s3:::b'],
    });
  });

  test('Principal "*" and typed principals with one value or several', () => {
    const doc = parsePolicy({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sqs:*' },
        {
          Effect: 'Allow',
          Principal: { AWS: '123456789012', Service: ['sns.amazonaws.com'] },
          Action: 'sqs:*',
        },
      ],
    });
    expect(doc.statements.map((s) => s.principal)).toEqual([
      '*',
      { AWS: ['123456789012'], Service: ['sns.amazonaws.com'] },
    ]);
  });

  test('condition values may be booleans or numbers and are read as text', () => {
    const doc = parsePolicy({
      Statement: {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': false } },
      },
    });
    expect(doc.statements[0]!.condition).toEqual({ Bool: { 'aws:SecureTransport': ['false'] } });
  });
});

const stmt = (s: Record<string, unknown>) => JSON.stringify({ Version: V, Statement: s });

/** IAM's MalformedPolicyDocument messages for the common mistakes (as recorded by moto's tests of IAM). */
const invalid: [string, string, PolicyUse, string][] = [
  ['not JSON', 'This is not a json document', 'identity', 'Syntax errors in policy.'],
  [
    'an unknown top-level field',
    JSON.stringify({ Version: V, Statement: [], Foo: 1 }),
    'identity',
    'Syntax errors in policy.',
  ],
  ['no statements', JSON.stringify({ Version: V, Statement: [] }), 'identity', 'Syntax errors in policy.'],
  [
    'an unknown Version',
    JSON.stringify({ Version: '2013-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'a lower-case Effect',
    stmt({ Effect: 'allow', Action: 's3:*', Resource: '*' }),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'Action and NotAction together',
    stmt({ Effect: 'Allow', Action: 's3:*', NotAction: 'iam:*', Resource: '*' }),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'no actions',
    stmt({ Effect: 'Allow', Resource: '*' }),
    'identity',
    'Policy statement must contain actions.',
  ],
  [
    'no resources',
    stmt({ Effect: 'Allow', Action: 's3:*' }),
    'identity',
    'Policy statement must contain resources.',
  ],
  [
    'an action without a vendor',
    stmt({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }),
    'identity',
    'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  ],
  [
    'an action with two colons',
    stmt({ Effect: 'Allow', Action: 's3:Get:Object', Resource: '*' }),
    'identity',
    'Actions/Condition can contain only one colon.',
  ],
  [
    'a resource that is not an ARN',
    stmt({ Effect: 'Allow', Action: 's3:*', Resource: 'bucket' }),
    'identity',
    'Resource bucket must be in ARN format or "*".',
  ],
  [
    'a principal in an identity policy',
    stmt({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }),
    'identity',
    'Policy document should not specify a principal.',
  ],
  [
    'duplicate Sids',
    JSON.stringify({
      Version: V,
      Statement: [
        { Sid: 'a', Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Sid: 'a', Effect: 'Deny', Action: 's3:*', Resource: '*' },
      ],
    }),
    'identity',
    'Statement IDs (SID) in a single policy must be unique.',
  ],
  [
    'an unknown condition operator',
    stmt({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEqualz: { 'aws:username': 'a' } },
    }),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'a date that is not a date',
    stmt({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': 'soon' } },
    }),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'a trust policy with a Resource',
    stmt({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Resource: '*',
    }),
    'trust',
    'Has prohibited field Resource',
  ],
  [
    'a trust policy without a principal',
    stmt({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
    'trust',
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  ],
  [
    'a trust policy granting other actions',
    stmt({ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject' }),
    'trust',
    'AssumeRole policy may only specify STS AssumeRole actions.',
  ],
  [
    'a malformed principal',
    stmt({ Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 'sts:AssumeRole' }),
    'trust',
    'Invalid principal in policy: "AWS":"alice"',
  ],
];

describe('validating policies on write', () => {
  test.for(invalid)('refuses %s', ([, text, use, message]) => {
    expect(() => validatePolicy(text, use)).toThrow(message);
  });

  test('accepts a trust policy in the 2008-10-17 grammar', () => {
    const text = JSON.stringify({
      Version: '2008-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(() => validatePolicy(text, 'trust')).not.toThrow();
  });

  test('asks whether principals named by ARN exist', () => {
    const text = stmt({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/gone' },
      Action: 'sts:AssumeRole',
    });
    expect(() => validatePolicy(text, 'trust', { principalExists: () => false })).toThrow(
      'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/gone"',
    );
  });
});

describe('statement positions (for the simulator)', () => {
  test('one span per statement: 1-based, from the opening brace to just past the closing one', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}\n  ]\n}';
    expect(statementSpans(text)).toEqual([
      { start: { Line: 4, Column: 5 }, end: { Line: 4, Column: 59 } },
      { start: { Line: 5, Column: 5 }, end: { Line: 5, Column: 64 } },
    ]);
  });

  test('a single statement object', () => {
    expect(statementSpans('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')).toEqual([
      { start: { Line: 1, Column: 14 }, end: { Line: 1, Column: 60 } },
    ]);
  });
});
