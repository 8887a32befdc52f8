import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type { Logger } from "pino";
import { env } from "../env";
import { logger as appLogger } from "../log";

export type InvitationMail = {
  to: string;
  workspaceName: string;
  inviterName: string | null;
  role: string;
  link: string;
  expiresAt: Date;
};

let cachedTransport: Transporter | undefined;

function smtpTransport(url: string): Transporter {
  cachedTransport ??= nodemailer.createTransport(url);
  return cachedTransport;
}

export type MailOptions = {
  /** Sends in place of the SMTP server of `SMTP_URL`; tests pass nodemailer's JSON transport. */
  transport?: Transporter;
  logger?: Logger;
};

/**
 * Emails the invitation link when SMTP is configured or a transport is
 * passed. Returns false, and logs that no mail was sent, when neither is
 * there or when sending fails, so the admin is shown the link instead.
 */
export async function sendInvitationMail(
  mail: InvitationMail,
  options: MailOptions = {},
): Promise<boolean> {
  const logger = options.logger ?? appLogger();
  const smtp = env().smtp;
  const transport =
    options.transport ?? (smtp ? smtpTransport(smtp.url) : null);
  if (!transport) {
    logger.info(
      { workspace: mail.workspaceName },
      "SMTP_URL is not set: no invitation mail was sent, the admin copies the link",
    );
    return false;
  }
  const inviter = mail.inviterName ?? "A member";
  try {
    await transport.sendMail({
      from: smtp?.from ?? "Inview <no-reply@localhost>",
      to: mail.to,
      subject: `${inviter} invited you to ${mail.workspaceName} on Inview`,
      text: [
        `${inviter} invited you to join the workspace "${mail.workspaceName}" on Inview as ${mail.role}.`,
        "",
        `Accept the invitation: ${mail.link}`,
        "",
        `The link works once and expires on ${mail.expiresAt.toISOString().slice(0, 10)} (UTC).`,
        "You sign in with LinkedIn to accept.",
      ].join("\n"),
    });
    return true;
  } catch (error) {
    logger.warn(
      { err: error, workspace: mail.workspaceName },
      "sending the invitation mail failed: the admin copies the link",
    );
    return false;
  }
}
