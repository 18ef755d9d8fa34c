import type {
  ChangeResourceRecordSetsRequest,
  GetChangeRequest,
  ListResourceRecordSetsRequest,
} from '@aws-sdk/client-route-53';
import type { Handler } from '../../../core/service.ts';
import type { Route53Model } from '../model/index.ts';
import { displayName } from '../model/names.ts';
import { changeRecordSets, listRecordSets } from '../model/records.ts';
import { changeOutput, renderRecord } from './render.ts';

export const recordHandlers: Record<string, Handler<Route53Model>> = {
  ChangeResourceRecordSets(model, input: ChangeResourceRecordSetsRequest) {
    const batch = input.ChangeBatch;
    return changeOutput(
      model,
      changeRecordSets(model, input.HostedZoneId, batch?.Changes ?? [], batch?.Comment),
    );
  },

  ListResourceRecordSets(model, input: ListResourceRecordSetsRequest) {
    const zone = model.zone(input.HostedZoneId);
    const page = listRecordSets(
      zone,
      { name: input.StartRecordName, type: input.StartRecordType, identifier: input.StartRecordIdentifier },
      input.MaxItems,
    );
    const next = page.next;
    return {
      ResourceRecordSets: page.records.map(renderRecord),
      IsTruncated: Boolean(next),
      ...(next && {
        NextRecordName: displayName(next.Name ?? ''),
        NextRecordType: next.Type,
        ...(next.SetIdentifier !== undefined && { NextRecordIdentifier: next.SetIdentifier }),
      }),
      MaxItems: Math.min(Math.max(input.MaxItems ?? 300, 1), 300),
    };
  },

  GetChange(model, input: GetChangeRequest) {
    return { ChangeInfo: model.changeInfo(model.change(input.Id)) };
  },
};
