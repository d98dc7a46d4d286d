/**
 * Reads a secret (the new SCIM access token) from standard input: never from an argument (it
 * would land in shell history and process lists) and never echoed. Piped input is read to the
 * end of its first line; at a terminal, keystrokes are read without echo.
 */
import { UsageError } from './errors';

export async function readSecret(
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return (text.split(/\r?\n/)[0] ?? '').trim();
  }
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            input.off('data', onData);
            resolve(value.trim());
            return;
          }
          if (char === '\u0003') {
            input.off('data', onData);
            reject(new UsageError('Cancelled: nothing was registered.'));
            return;
          }
          value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    output.write('\n');
  }
}
