/** The SNS calls of the local stand-in beyond Publish: PublishBatch, with entry faults. */
import { randomUUID } from 'node:crypto';
import { queryError } from './fake-aws-ops';
import type { EntryFaultPolicy, Published } from './fake-aws-types';

/** SNS PublishBatch: at most ten entries with distinct IDs, 256 KiB in all, like SNS. */
export function publishBatch(
  form: URLSearchParams,
  entryFault: EntryFaultPolicy | undefined,
  publish: (p: Published) => void,
): [number, string] {
  const fail = (status: number, code: string, message: string) => queryError(status, code, message);
  const entries: Array<{ id: string; published: Published }> = [];
  let bytes = 0;
  for (let i = 1; form.has(`PublishBatchRequestEntries.member.${i}.Id`); i++) {
    const at = (k: string) => form.get(`PublishBatchRequestEntries.member.${i}.${k}`) ?? undefined;
    const attributes: Published['attributes'] = {};
    for (let j = 1; at(`MessageAttributes.entry.${j}.Name`) !== undefined; j++) {
      const name = at(`MessageAttributes.entry.${j}.Name`) as string;
      const value = at(`MessageAttributes.entry.${j}.Value.StringValue`) as string;
      const dataType = at(`MessageAttributes.entry.${j}.Value.DataType`) as string;
      attributes[name] = { dataType, value };
      bytes += Buffer.byteLength(name) + Buffer.byteLength(dataType) + Buffer.byteLength(value);
    }
    const subject = at('Subject');
    const structure = at('MessageStructure');
    const message = at('Message') ?? '';
    bytes += Buffer.byteLength(message) + Buffer.byteLength(subject ?? '');
    entries.push({
      id: at('Id') as string,
      published: {
        topicArn: form.get('TopicArn') as string,
        ...(subject ? { subject } : {}),
        message,
        ...(structure ? { messageStructure: structure } : {}),
        attributes,
      },
    });
  }
  if (entries.length === 0)
    return fail(400, 'EmptyBatchRequest', 'The batch request does not contain any entries.');
  if (entries.length > 10)
    return fail(
      400,
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  if (new Set(entries.map((e) => e.id)).size !== entries.length)
    return fail(
      400,
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  if (bytes > 262_144)
    return fail(
      400,
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  const ok: string[] = [];
  const failed: string[] = [];
  for (const e of entries) {
    const code = entryFault?.('sns:PublishBatch', { Id: e.id, ...e.published });
    if (code) {
      failed.push(
        `<member><Id>${e.id}</Id><Code>${code}</Code><Message>injected entry fault</Message><SenderFault>false</SenderFault></member>`,
      );
      continue;
    }
    publish(e.published);
    ok.push(`<member><Id>${e.id}</Id><MessageId>${randomUUID()}</MessageId></member>`);
  }
  return [
    200,
    `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${ok.join('')}</Successful><Failed>${failed.join('')}</Failed></PublishBatchResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishBatchResponse>`,
  ];
}
