import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { env } from "../env";
import { logger } from "../log";

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

/**
 * Emails the invitation link when SMTP is configured. Returns false, and
 * logs that no mail was sent, when it is not or when sending fails, so the
 * admin is shown the link to pass on instead.
 */
export async function sendInvitationMail(
  mail: InvitationMail,
  transport?: Transporter,
): Promise<boolean> {
  const smtp = env().smtp;
  if (!smtp && !transport) {
    logger().info(
      { workspace: mail.workspaceName },
      "SMTP_URL is not set: no invitation mail was sent, the admin copies the link",
    );
    return false;
  }
  const inviter = mail.inviterName ?? "A member";
  try {
    await (transport ?? smtpTransport(smtp!.url)).sendMail({
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
    logger().warn(
      { err: error, workspace: mail.workspaceName },
      "sending the invitation mail failed: the admin copies the link",
    );
    return false;
  }
}
