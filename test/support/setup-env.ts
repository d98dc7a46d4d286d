// Tests run handlers in-process: keep their structured logs out of the test output unless a
// test asks for them. Set before any module creates its Logger.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
