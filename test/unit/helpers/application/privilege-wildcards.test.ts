import { describe, expect, test } from 'vitest';
import { expandMatrix } from '../../../../helpers/application/privilege-matrix.ts';
import { broadStatements, patternCovers } from '../../../../helpers/application/privilege-wildcards.ts';
import { CannotTellError } from '../../../../helpers/errors.ts';
import type { SourcePolicy } from '../../../../policy/evaluate.ts';

/**
 * S15's judgement: a wildcard statement is a finding when it grants what the
 * matrix does not need; Lambda's own execution policies are needed by a role
 * Lambda assumes, and by no other.
 */
const ACCOUNT = '123456789012';
const LAB = { region: 'eu-west-1', accountId: ACCOUNT, runId: 'mc-1' };
const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/AppEvents`;
const PAIRS = expandMatrix(
  {
    allow: [
      { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: ['table:AppEvents'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['bucket:app-data/*'] },
      { actions: ['s3:ListBucket'], resources: ['bucket:app-data'] },
    ],
    deny: [{ actions: ['dynamodb:GetItem'], resources: ['table:AppEvents'] }],
  },
  LAB,
);
const policy = (id: string, ...Statement: object[]): SourcePolicy => ({
  kind: 'identity',
  id,
  document: JSON.stringify({ Version: '2012-10-17', Statement }),
});
const BASIC_EXECUTION = policy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', {
  Effect: 'Allow',
  Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: '*',
});
const SEED_POLICIES = [
  policy('DynamoDB-AppEventsWriter', {
    Sid: 'AllowPutUpdateOnAppEvents',
    Effect: 'Allow',
    Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    Resource: TABLE,
  }),
  policy('S3-AppBucket-Access', {
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::app-data', 'arn:aws:s3:::app-data/*'],
  }),
  BASIC_EXECUTION,
];

describe('broadStatements', () => {
  test("the seed's writer policies, Lambda's basic execution policy included, grant nothing beyond", () => {
    expect(broadStatements(SEED_POLICIES, PAIRS, { lambda: true })).toEqual([]);
  });

  test('dynamodb:* on * is named, by policy and statement, for its action and its resource', () => {
    const drifted = [
      ...SEED_POLICIES,
      policy('all-dynamodb', { Sid: 'Everything', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
    ];
    expect(broadStatements(drifted, PAIRS, { lambda: true })).toEqual([
      'all-dynamodb statement "Everything": dynamodb:* covers actions the matrix does not list',
    ]);
  });

  test('a needed action on * reaches beyond its resources; an unlisted one on * is named too', () => {
    const wide = [
      policy('wide', {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'logs:PutResourcePolicy'],
        Resource: '*',
      }),
    ];
    expect(broadStatements(wide, PAIRS, { lambda: true })).toEqual([
      `wide statement #1: dynamodb:PutItem on * reaches beyond ${TABLE}`,
      'wide statement #1: logs:PutResourcePolicy on *, an action the matrix does not allow',
    ]);
  });

  test("Lambda's execution actions on * are needed only by a role Lambda assumes", () => {
    expect(broadStatements([BASIC_EXECUTION], PAIRS, { lambda: false })).toHaveLength(3);
  });

  test('an object wildcard in another bucket, NotAction and NotResource are findings; a wildcard inside the matrix is not', () => {
    const found = broadStatements(
      [
        policy(
          'p',
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-data/logs/*' },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::trail-logs/*' },
          { Effect: 'Allow', NotAction: 'iam:*', Resource: TABLE },
          { Effect: 'Allow', Action: 'dynamodb:PutItem', NotResource: 'arn:aws:dynamodb:*:*:table/Secrets' },
          { Effect: 'Deny', Action: '*', Resource: '*' },
        ),
      ],
      PAIRS,
      { lambda: false },
    );
    expect(found).toEqual([
      'p statement #2: s3:GetObject on arn:aws:s3:::trail-logs/* reaches beyond arn:aws:s3:::app-data/*',
      'p statement #3: allows every action but iam:*',
      `p statement #4: dynamodb:PutItem on every resource but arn:aws:dynamodb:*:*:table/Secrets reaches beyond ${TABLE}`,
    ]);
  });

  test('a policy our parser cannot read is cannot-tell, not a pass', () => {
    const unreadable: SourcePolicy = {
      kind: 'identity',
      id: 'odd',
      document: '{"Statement": [{"Effect": "allow"}]}',
    };
    expect(() => broadStatements([unreadable], PAIRS, { lambda: false })).toThrow(CannotTellError);
  });
});

describe('patternCovers', () => {
  test.for([
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/logs/*', true],
    ['arn:aws:s3:::b/logs/*', 'arn:aws:s3:::b/*', false],
    ['*', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/?', true],
  ] as const)('%s covers %s: %s', ([outer, inner, covers]) => {
    expect(patternCovers(outer, inner)).toBe(covers);
  });
});
