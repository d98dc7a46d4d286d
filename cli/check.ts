/**
 * `scim-token-monitor check`: the monitor's own evaluation at a given instant, printed as each
 * channel would receive it (e-mail, chat, the alert JSON); nothing is published or written. Exit
 * 1 when alerts are due, like `status`.
 */
import { renderAlert } from '../core/messages';
import { readPlan } from '../functions/monitor/read';
import { type CliContext, SILENT } from './commands';
import { CliError, UsageError } from './errors';
import { paint } from './output';

/** What `check --format` prints: what each channel would receive, exactly. */
export const CHECK_FORMATS = ['email', 'chat', 'json'] as const;

/** Before anything is read: a format `check` can print. */
export function checkFormat(format: string | undefined): void {
  if (format !== undefined && !(CHECK_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format "${format}" is not one of ${CHECK_FORMATS.join(', ')}.`);
  }
}

export async function check(ctx: CliContext, opts: { json?: boolean; format?: string }): Promise<void> {
  checkFormat(opts.format);
  const format = opts.json ? 'json' : (opts.format ?? 'email');
  // The monitor's evaluation itself; nothing is published and no state is written.
  const plan = await readPlan(ctx.config, ctx.now, SILENT, ctx.registry.sources);
  const rendered = plan.alerts.map((a) => renderAlert(a.alert));
  const due = () => {
    // Like status: something due is a reason for a script to act (exit 1).
    if (rendered.length > 0) {
      throw new CliError(`${rendered.length} alert(s) due: see above (exit 1, so scripts can act on it).`);
    }
  };
  if (format === 'json') {
    // What SQS, Lambda and EventBridge receive (the alert JSON), with the e-mail's subject.
    ctx.out.line(
      JSON.stringify(
        rendered.map((r) => ({ subject: r.subject, ...r.payload })),
        null,
        2,
      ),
    );
    return due();
  }
  if (format === 'chat') {
    // What Chatbot renders in Slack and Teams, and what the Slack webhook forwarder posts.
    const { slackMessage } = await import('../core/chat');
    ctx.out.line(
      JSON.stringify(
        rendered.map((r) => ({ chatbot: r.chatbot, slackWebhook: slackMessage(r.payload) })),
        null,
        2,
      ),
    );
    return due();
  }
  ctx.out.line(
    `Evaluated ${plan.tokens.length} token(s) and ${plan.invalid.length} invalid registration(s) in ${ctx.registry.where} at ${ctx.now.toISOString()}.`,
  );
  if (rendered.length === 0) {
    ctx.out.line('No alert is due. (Nothing was published or written.)');
    return;
  }
  ctx.out.line(`${rendered.length} alert(s) would be sent (nothing was published or written):`);
  for (const r of rendered) {
    ctx.out.line();
    ctx.out.line(
      paint(ctx.out, r.payload.severity === 'info' ? 'info' : r.payload.severity, `Subject: ${r.subject}`),
    );
    ctx.out.line(r.text);
  }
  due();
}
