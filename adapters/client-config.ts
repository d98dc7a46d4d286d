/**
 * Shared SDK client settings. The standard retry mode backs off exponentially with jitter on
 * throttling, 5xx, timeouts and transient network errors; five attempts ride out SSM's low
 * PutParameter rate and a brief regional blip. Explicit timeouts make a hung connection a
 * retried error instead of a run that stalls until Lambda kills it.
 */
export const CLIENT_CONFIG = {
  maxAttempts: 5,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
} as const;

/**
 * Waits before sending again the entries of a batch (SNS PublishBatch, EventBridge PutEvents) that
 * failed inside a successful reply: three rounds in all. The SDK retries failed calls itself.
 */
export const ENTRY_RETRY_DELAYS_MS: readonly number[] = [100, 400];
