/**
 * Shared SDK client settings. The standard retry mode backs off exponentially with jitter on
 * throttling, 5xx and transient network errors; five attempts ride out SSM's low PutParameter
 * rate limit and a brief regional blip without stretching a run past its timeout.
 */
export const CLIENT_CONFIG = { maxAttempts: 5, retryMode: 'standard' } as const;
