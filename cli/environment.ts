/**
 * Process settings the CLI makes before any AWS SDK module loads (imported first by `main.ts`).
 *
 * The SDK warns on Node.js < 22 that SDK releases published after the first week of January 2027
 * will need Node.js 22. This package pins its SDK versions exactly (package.json), so the warning
 * never applies to the CLI a user runs; printed before every command's output it would only bury
 * the answer. A user who wants it back sets AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false.
 * The supported Node.js versions are stated in package.json `engines` and the README.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
