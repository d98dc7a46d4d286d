// Tests run handlers in-process: keep their structured logs out of the test output unless a
// test asks for them. Set before any module creates its Logger.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// This machine runs Node 20; the SDK's notice about Node 22 is not the tests' business.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// aws-cdk-lib's built-in CloudFormation validation starts a WebAssembly engine (about 3 s of CPU)
// in every test file that synthesizes. It stays on where deployability is judged
// (test/lib/deployability.test.ts turns it back on and reads its report) and in `cdk synth`.
process.env.CDK_VALIDATION ??= 'false';
