import { markup } from '../../common/escape.ts';
import { UnknownOperationError } from '../core/errors.ts';
import type { Protocol } from './protocol.ts';
import { decodeForm } from './query-form.ts';
import { errorTraits, operationInfo } from './schemas.ts';
import { xmlDeclaration } from './wire.ts';
import { xmlInner } from './xml.ts';

/**
 * awsQuery (SNS, STS, IAM, legacy SQS) and ec2Query (EC2): a form POST with
 * `Action=Op&Version=…`, answered in XML. awsQuery wraps members in
 * `<OpResult>` (without it the SDK silently returns an empty output); ec2Query
 * does not, and puts `<requestId>` first. Error codes are the wire codes of
 * the model's `awsQueryError` trait (SNS `AuthorizationError`).
 */
export function query(flavour: 'awsQuery' | 'ec2Query'): Protocol {
  const ec2 = flavour === 'ec2Query';
  return {
    recognizes: (req) =>
      !req.headers['x-amz-target'] &&
      (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'),

    async parse(req, def) {
      const form = new URLSearchParams(req.body.toString('utf8'));
      if (req.rawQuery)
        for (const [k, v] of new URLSearchParams(req.rawQuery)) if (!form.has(k)) form.set(k, v);
      const operation = form.get('Action') ?? '';
      const info = operationInfo(def, operation);
      if (!info) throw new UnknownOperationError(`Could not find operation ${operation || '(no Action)'}`);
      return { operation, input: decodeForm(info.input, form, { ec2 }) };
    },

    serialize(def, operation, output, meta) {
      const info = operationInfo(def, operation)!;
      const ns = def.xmlNamespace ?? '';
      const inner = xmlInner(info.output, output, def.namespace);
      const body = ec2
        ? `${xmlDeclaration}<${operation}Response xmlns="${ns}"><requestId>${meta.requestId}</requestId>${inner}</${operation}Response>`
        : `${xmlDeclaration}<${operation}Response xmlns="${ns}"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>${meta.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': meta.requestId },
        body,
      };
    },

    serializeError(def, error, meta) {
      const traits = errorTraits(def, error.code);
      const code = markup(traits.queryCode ?? error.code);
      const message = markup(error.message);
      const body = ec2
        ? `${xmlDeclaration}<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${meta.requestId}</RequestID></Response>`
        : `${xmlDeclaration}<ErrorResponse xmlns="${def.xmlNamespace ?? ''}"><Error><Type>${traits.fault === 'server' ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${meta.requestId}</RequestId></ErrorResponse>`;
      return {
        status: error.status ?? traits.status ?? 400,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': meta.requestId, ...error.headers },
        body,
      };
    },
  };
}
