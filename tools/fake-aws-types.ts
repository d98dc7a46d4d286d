/** Shapes shared by the local stand-in's parts. */

export interface Published {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly messageStructure?: string;
  readonly attributes: Record<string, { dataType: string; value: string }>;
}

/**
 * Fails one entry of a batch call that otherwise succeeds (SNS PublishBatch, EventBridge
 * PutEvents): AWS reports such entries inside a 200 reply. Return an error code, or undefined.
 */
export type EntryFaultPolicy = (action: string, entry: Record<string, unknown>) => string | undefined;
