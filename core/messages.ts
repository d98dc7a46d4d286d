/**
 * Rendering an alert: the subject (subject.ts), the plain text people read at 3 a.m. (here), the
 * machine-readable JSON that SNS subscribers and EventBridge rules consume and the attributes
 * filter policies use (fields.ts), and the chat notification (chat.ts).
 */
import type { Alert } from './alert';
import { type ChatbotNotification, chatbotNotification } from './chat';
import { humanInstant, isoDate, zonedInstant } from './dates';
import { digestLines, omittedLine } from './digest';
import { attributesOf, payloadOf } from './fields';
import type { AlertAttributes, AlertPayload } from './payload';
import { providerFor } from './providers';
import { provisioningLine, provisioningSentences } from './provisioning-view';
import { rotationContext, rotationSteps, shellWord } from './rotation';
import { canWait } from './severity';
import { digestSize, plural, subjectOf } from './subject';
import { freeText, oneLine, shownName } from './text';

export type { AlertAttributes, AlertPayload } from './payload';
export { MAX_SUBJECT_CHARS } from './subject';

export interface RenderedAlert {
  readonly subject: string;
  readonly text: string;
  readonly payload: AlertPayload;
  /** What Chatbot renders in Slack and Teams. */
  readonly chatbot: ChatbotNotification;
  readonly attributes: AlertAttributes;
}

export { humanInstant } from './dates';

/** An instant in UTC, and in the schedule's time zone when one is set. */
function when(at: Date, timeZone: string | undefined): string {
  return timeZone ? `${humanInstant(at)} (${zonedInstant(at, timeZone)})` : humanInstant(at);
}

/** Whether it can wait for working hours, in one line at the top: a page says it cannot. */
function urgencyLine(alert: Alert): string {
  const expiry = alert.token ? when(alert.token.expiresAt, alert.timeZone) : '';
  if (alert.alertType === 'expired') return 'This cannot wait: provisioning is stopped now.';
  return canWait(alert.severity)
    ? `This can wait for working hours: nothing breaks before ${expiry}.`
    : `This cannot wait: provisioning stops at ${expiry}, within a day.`;
}

/** What CloudTrail's SCIM calls say, when provisioning is observed: sentences of bounded length. */
function provisioningOf(alert: Alert): string[] {
  if (!alert.provisioning) return [];
  return provisioningSentences(alert.alertType, alert.provisioning, alert.token, alert.evaluatedAt).map((l) =>
    freeText(l, 600),
  );
}

function numberedSteps(payload: AlertPayload): string[] {
  // A command on a line of its own, right under its step, so it is copied whole.
  return rotationSteps(rotationContext(payload), (v) => freeText(v, 200)).flatMap((step, i) => [
    `${i + 1}. ${step.text}${step.link ? `: ${step.link}` : ''}`,
    ...(step.command ? [`   ${step.command}`] : []),
    ...(step.more ? [`   ${step.more}`] : []),
  ]);
}

function detailLines(alert: Alert): string[] {
  const token = alert.token;
  const rows: Array<[string, string | undefined]> = [
    ['Token', alert.tokenName === undefined ? undefined : shownName(alert.tokenName)],
    ['Parameter', alert.parameterName === undefined ? undefined : shownName(alert.parameterName)],
    ['Token ID', token?.tokenId === undefined ? undefined : freeText(token.tokenId, 128)],
    ['Identity provider', token?.identityProvider ? providerFor(token.identityProvider).label : undefined],
    ['Owner', token?.owner === undefined ? undefined : freeText(token.owner, 300)],
    ['Created', token?.createdAt ? humanInstant(token.createdAt) : undefined],
    [
      alert.alertType === 'expired' ? 'Expired' : 'Expires',
      token ? when(token.expiresAt, alert.timeZone) : undefined,
    ],
    [
      'Days remaining',
      alert.daysRemaining === undefined || alert.alertType === 'expired'
        ? undefined
        : String(alert.daysRemaining),
    ],
    ['Reminder', alert.reminder ? String(alert.reminder) : undefined],
    ['Severity', alert.threshold ? `${alert.severity} (${alert.threshold}-day threshold)` : alert.severity],
    [
      'Identity Center',
      alert.instance
        ? `${alert.instance.instanceArn}${alert.instance.identityStoreId ? ` (identity store ${alert.instance.identityStoreId})` : ''}`
        : undefined,
    ],
    ['Environment', alert.environmentName],
    // Only what is known: an offline preview has neither account nor region.
    ['Account / region', [alert.account, alert.region].filter((v) => v).join(' / ') || undefined],
    ['Evaluated at', humanInstant(alert.evaluatedAt)],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `${`${k}:`.padEnd(19)}${oneLine(v, 300)}`);
}

function textOf(alert: Alert): string {
  const lines: string[] = [];
  const token = alert.token;
  switch (alert.alertType) {
    case 'expiry-warning':
    case 'expired': {
      const t = token as NonNullable<Alert['token']>;
      const provider = providerFor(t.identityProvider);
      const date = isoDate(t.expiresAt);
      const daily = alert.alertType === 'expiry-warning' && (alert.reminder ?? 0) > 0;
      if (alert.alertType === 'expired' && alert.reminder) {
        lines.push(
          `Reminder ${alert.reminder}: "${shownName(alert.tokenName ?? '')}" is still registered with the token that expired on ${date}. Provisioning has been stopped for ${plural(alert.reminder * 7, 'day')} or more. This reminder repeats weekly until the registration is updated.`,
          '',
        );
      }
      lines.push(
        alert.alertType === 'expired'
          ? `The IAM Identity Center SCIM access token "${shownName(alert.tokenName ?? '')}" EXPIRED at ${when(t.expiresAt, alert.timeZone)}. ${provider.id === 'other' ? 'Your identity provider' : provider.label} can no longer provision users and groups into AWS: new joiners get no access and leavers keep theirs until it is replaced.`
          : `The IAM Identity Center SCIM access token "${shownName(alert.tokenName ?? '')}" expires ${(alert.daysRemaining ?? 0) <= 0 ? 'today' : `in ${plural(alert.daysRemaining ?? 0, 'day')}`}, at ${when(t.expiresAt, alert.timeZone)}. When it expires, provisioning from ${provider.label} into AWS stops silently.`,
        urgencyLine(alert),
        ...provisioningOf(alert),
        ...(daily
          ? [`Daily reminder ${alert.reminder}: one comes every day until the token is rotated or expires.`]
          : []),
        '',
        'What to do:',
        ...numberedSteps(payloadOf(alert)),
        '',
        ...detailLines(alert),
      );
      if (t.notes) lines.push(`${'Notes:'.padEnd(19)}${freeText(t.notes, 1024)}`);
      if (alert.next) {
        lines.push(
          '',
          'threshold' in alert.next
            ? `If nothing changes, the next reminder (${alert.next.threshold} days) is sent on ${isoDate(alert.next.date)}.`
            : `If nothing changes, an EXPIRED alert is sent at the first scheduled run after the token expires (${humanInstant(alert.next.expired)}).`,
        );
      }
      break;
    }
    case 'digest':
      lines.push(
        `${digestSize(alert)} ${alert.severity} SCIM token alerts are due in this run: more than the monitor sends one by one, so they come together here, the most urgent first.`,
        '',
        ...digestLines(
          alert.digest ?? [],
          (v) => freeText(v, 200),
          (v) => freeText(v, 40),
        ),
        ...omittedLine(alert.digestOmitted),
        '',
        "Each token's expiry, last alert and next alert: npx scim-token-monitor status",
        "Each token's steps to rotate: npx scim-token-monitor check --at <date> shows its full alert.",
        '',
        ...detailLines(alert),
      );
      break;
    case 'invalid-registration':
      lines.push(
        `The registration of SCIM token "${shownName(alert.tokenName ?? '')}" is invalid, so its expiry is NOT being monitored.`,
        '',
        `Problem: ${freeText(alert.reason ?? '', 500)}`,
        '',
        'What to do:',
        `Fix the parameter ${shownName(alert.parameterName ?? '')} (version ${alert.parameterVersion}). A valid value is a JSON object such as`,
        `  {"createdAt":"2026-01-15","tokenId":"<ID shown in the console>","identityProvider":"okta"}`,
        'or a bare creation date such as 2026-01-15. Dates are ISO 8601: YYYY-MM-DD, or a date-time with Z or an offset.',
        `  aws ssm put-parameter --overwrite --type String --name ${shellWord(alert.parameterName ?? '')} --value '{"createdAt":"YYYY-MM-DD"}'`,
        alert.reminder
          ? `Reminder ${alert.reminder}: this registration has been invalid for ${plural(alert.reminder * 7, 'day')} or more, so this alert is now critical. It repeats weekly until the parameter is fixed.`
          : 'This alert repeats weekly while the parameter stays invalid, as critical from the first reminder.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'no-tokens':
      lines.push(
        `The SCIM token monitor found no registrations under ${alert.registryPrefix}: no SCIM token expiry is being watched.`,
        '',
        'What to do:',
        `1. In IAM Identity Center (${alert.consoleUrl}), open Settings > Identity source > Actions > Manage provisioning > Access tokens and note each token's creation date and ID.`,
        '2. Register each token:',
        `   aws ssm put-parameter --type String --name ${alert.registryPrefix}<name> --value '{"createdAt":"YYYY-MM-DD","tokenId":"<ID>","identityProvider":"okta"}'`,
        'This warning is sent once; it is sent again if the registry becomes empty again later.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'token-rejected': {
      const provider = providerFor(token?.identityProvider);
      lines.push(
        `The stored SCIM access token "${shownName(alert.tokenName ?? '')}" no longer works: IAM Identity Center rejected it today (it was deleted, revoked or replaced). Provisioning from ${provider.id === 'other' ? 'your identity provider' : provider.label} into AWS is failing now if it still uses this token.`,
        ...provisioningOf(alert),
        '',
        'What to do:',
        ...numberedSteps(payloadOf(alert)),
        '',
        ...detailLines(alert),
        '',
        'This alert is sent once per parameter version: storing a new token stops it.',
      );
      break;
    }
    case 'token-date-moved': {
      const before = alert.previousExpiry ? isoDate(alert.previousExpiry) : 'unknown';
      lines.push(
        `The SecureString ${shownName(alert.parameterName ?? '')} holding SCIM token "${shownName(alert.tokenName ?? '')}" was rewritten, so the monitor now dates the token from that write: it expected expiry on ${before}, it now expects ${expiry(alert)}. A SecureString's value is never read, so re-applying the same token (for example by infrastructure code) looks exactly like a rotation.`,
        '',
        'What to do:',
        '1. If this write stored a NEW token generated in IAM Identity Center: nothing; the new expiry is right.',
        `2. If it re-applied the SAME token: the real expiry is still ${before}. Rotate the token now (generate a new one, paste it into the identity provider, store it in this parameter), or the token will expire without further warning.`,
        '',
        ...detailLines(alert),
      );
      break;
    }
    case 'probe-inconclusive':
      lines.push(
        `The daily check of the stored SCIM token "${shownName(alert.tokenName ?? '')}" has not had a conclusive answer for several days.`,
        '',
        `Problem: ${freeText(alert.reason ?? '', 500)}`,
        '',
        'What to do:',
        `1. Check the token by hand: scim-token-monitor register ${shellWord(alert.tokenName ?? '')} --verify --store-token --overwrite (it asks for the token).`,
        '2. Check that the SCIM endpoint the monitor was deployed with (scimEndpoint) is the one shown in IAM Identity Center > Settings > Identity source > Automatic provisioning, and that the function can reach it.',
        'This alert is sent once per silent spell; a conclusive answer resets it.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'unregistered-token': {
      const date = expiry(alert);
      lines.push(
        `AWS Health announced that an IAM Identity Center SCIM access token expires on ${date} (in ${plural(alert.daysRemaining ?? 0, 'day')}), and no registered token expires then: nobody is watching it.`,
        '',
        'What to do:',
        `1. In IAM Identity Center (${alert.consoleUrl}), open Settings > Identity source > Actions > Manage provisioning > Access tokens and find the token that expires on ${date}; note its ID.`,
        `2. Register it, so the monitor watches it: scim-token-monitor register <name> --expires-at ${date} --token-id <ID> --identity-provider <okta|entra-id|...>`,
        `   or: aws ssm put-parameter --type String --name ${alert.registryPrefix}<name> --value '{"expiresAt":"${date}","tokenId":"<ID>"}'`,
        '3. Then rotate it before it expires (the alert for it will say how), or delete it if it is no longer used.',
        '',
        `AWS Health said: ${freeText(alert.reason ?? '', 1000)}`,
        '',
        ...detailLines(alert),
      );
      break;
    }
    case 'monitor-alarm': {
      const firing = alert.alarm?.state === 'ALARM';
      lines.push(
        firing
          ? `The SCIM token monitor's own alarm ${alert.alarm?.name} is ALARM: the monitor may not be watching your tokens.`
          : `The SCIM token monitor's own alarm ${alert.alarm?.name} is ${alert.alarm?.state}: it has recovered.`,
        '',
        `Why: ${freeText(alert.reason ?? '', 1000)}`,
        '',
        ...(firing
          ? [
              'What to do:',
              `1. Open the alarm: ${alert.consoleUrl}`,
              '2. Run `npx scim-token-monitor doctor`: it checks subscriptions, alarm actions, the schedule, the last run and the registry.',
              '3. Follow docs/operations.md ("How we know it keeps working") for this alarm.',
              '',
            ]
          : []),
        ...detailLines(alert),
      );
      break;
    }
    case 'health-notice-unreadable':
      lines.push(
        'AWS Health sent a notice about an IAM Identity Center SCIM access token that the monitor could not read, so the expiry it announces is not being checked against the registry.',
        '',
        `Problem: ${freeText(alert.reason ?? '', 1800)}`,
        '',
        'What to do:',
        `1. In IAM Identity Center (${alert.consoleUrl}), open Settings > Identity source > Actions > Manage provisioning > Access tokens and compare each token's expiry with \`scim-token-monitor status\`.`,
        '2. Register any token the registry is missing (the registration command is in the README).',
        "3. Report the notice's wording to the monitor's maintainers: AWS may have changed it.",
        'This alert is sent once per AWS Health event.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'subscribers-dropped':
      lines.push(
        freeText(alert.reason ?? '', 500),
        '',
        'What to do:',
        '1. Run `npx scim-token-monitor doctor`: it lists the subscriptions, confirmed and pending.',
        '2. Subscribe the missing address or channel again (alertEmails, or the chat settings, and deploy; or subscribe to the AlertTopicArn output), and confirm the e-mail SNS sends.',
        'Until then, alerts reach only the subscribers left and EventBridge rules.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'token-rotated': {
      const before = alert.previousExpiry ? when(alert.previousExpiry, alert.timeZone) : 'unknown';
      lines.push(
        `The SCIM token "${shownName(alert.tokenName ?? '')}" was rotated (or re-registered): its registration now shows a token that expires at ${alert.token ? when(alert.token.expiresAt, alert.timeZone) : ''}.`,
        `The alerts about the previous token (expiring ${before}) are over, and a pager incident opened for it resolves. No action is needed.`,
        'If this was not a rotation, the previous token still expires then: register it again as it was.',
        ...provisioningOf(alert),
        '',
        ...detailLines(alert),
      );
      break;
    }
    case 'scim-calls-failing':
      lines.push(
        `SCIM provisioning calls into IAM Identity Center are failing: ${freeText(alert.reason ?? '', 1500)}`,
        ...(alert.provisioning ? [freeText(provisioningLine(alert.provisioning), 600)] : []),
        '',
        'What to do:',
        "1. In the identity provider's provisioning logs, find the users and groups these calls were for.",
        '2. Fix what each error says: usually an attribute mapping (IAM Identity Center takes one e-mail address per user, and group display names must be unique).',
        '3. Retry provisioning them; scim-token-monitor status shows the failures since the last success.',
        'This alert is opt-in (provisioningFailuresAbove) and sent once per run that reads more failures than that.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'scim-calls-silent':
      lines.push(
        freeText(alert.reason ?? '', 600),
        'An identity provider that pushes only on change (Okta) may simply have had nothing to send; Entra ID runs a cycle about every 40 minutes.',
        '',
        'What to do:',
        '1. In the identity provider, check that provisioning to AWS is on and not quarantined, and provision one user on demand.',
        '2. If that fails with HTTP 401, the token expired or was deleted: rotate it (IAM Identity Center console: Settings > Identity source > Actions > Manage provisioning).',
        '3. scim-token-monitor status shows the last successful call.',
        'This alert is opt-in (provisioningSilentHours) and sent once per silence: the next successful call ends it.',
        '',
        ...detailLines(alert),
      );
      break;
    case 'test':
      lines.push(
        'This is a TEST alert from the SCIM token monitor, sent on request to check that alerts reach this channel.',
        'No action is needed: no token is expiring because of this message.',
        '',
        ...detailLines(alert),
      );
      break;
  }
  lines.push('', '-- scim-token-monitor');
  return lines.join('\n');
}

function expiry(alert: Alert): string {
  const at = alert.token?.expiresAt ?? alert.announcedExpiry;
  return at ? isoDate(at) : '';
}

export function renderAlert(alert: Alert): RenderedAlert {
  const payload = payloadOf(alert);
  return {
    subject: subjectOf(alert),
    text: textOf(alert),
    payload,
    chatbot: chatbotNotification(payload),
    attributes: attributesOf(alert),
  };
}
