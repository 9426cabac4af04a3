import nodemailer from "nodemailer";
import { redactor } from "@/lib/ingest/source/secrets";
import { type Digest, digestText, metricLine } from "./digest";

/**
 * Report e-mail over SMTP with nodemailer (well kept, handles STARTTLS, auth, pooling and MIME so we do not):
 * SMTP_URL (smtp://user:pass@host:587, smtps://… for implicit TLS), SMTP_FROM for the sender.
 */

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: Attachment[];
  /** Extra header lines (List-Unsubscribe, RFC 8058). */
  headers?: Record<string, string>;
}

export type Mailer = (mail: Mail) => Promise<{ accepted: string[]; rejected: string[] }>;

export class MailNotConfiguredError extends Error {
  constructor() {
    super(
      "SMTP_URL is not set: set it (e.g. smtp://user:password@smtp.example.com:587) to send reports by e-mail",
    );
    this.name = "MailNotConfiguredError";
  }
}

export function smtpMailer(env: Record<string, string | undefined> = process.env): Mailer {
  const url = env.SMTP_URL?.trim();
  if (!url) throw new MailNotConfiguredError();
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    throw new Error("SMTP_URL must be a URL such as smtp://user:password@smtp.example.com:587");
  }
  const redact = redactor([password]);
  const transport = nodemailer.createTransport(url);
  const from = env.SMTP_FROM?.trim() || "Throughline <throughline@localhost>";
  return async (mail) => {
    try {
      const info = await transport.sendMail({ from, ...mail });
      return { accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
    } catch (error) {
      // SMTP answers can quote the command that failed; the password must not reach the log or the UI.
      throw new Error(redact(`the mail server refused the message: ${(error as Error).message}`));
    }
  };
}

/** Text for HTML content and attribute values. */
export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A report e-mail. With `unsubscribeUrl` (one recipient per mail), a footer link and the RFC 8058 headers, so that a
 * mail client's "Unsubscribe" button works in one click (a POST to that URL).
 */
export function composeMail(
  d: Digest,
  to: string[],
  attachments: Attachment[],
  unsubscribeUrl?: string,
): Mail {
  const items = (xs: string[]) => `<ul>${xs.map((x) => `<li>${x}</li>`).join("")}</ul>`;
  const parts = [
    `<h1 style="font-size:18px;margin:0 0 4px">${escapeHtml(d.title)}</h1>`,
    `<p style="color:#555;margin:0 0 12px">${escapeHtml(d.period)}</p>`,
    items(d.metrics.map((m) => escapeHtml(metricLine(m)))),
  ];
  if (d.inBrief.length)
    parts.push('<h2 style="font-size:15px">In brief</h2>', items(d.inBrief.map(escapeHtml)));
  if (d.failures.length) {
    const rows = d.failures.map(
      (f) =>
        `${f.url ? `<a href="${escapeHtml(f.url)}">${escapeHtml(f.label)}</a>` : escapeHtml(f.label)}: ${escapeHtml(f.detail)}`,
    );
    if (d.moreFailures) rows.push(`and ${d.moreFailures} more`);
    parts.push('<h2 style="font-size:15px">Failed deployments</h2>', items(rows));
  }
  if (attachments.length)
    parts.push(`<p>Attached: ${attachments.map((a) => escapeHtml(a.filename)).join(", ")}.</p>`);
  if (d.link) parts.push(`<p><a href="${escapeHtml(d.link)}">Open the report in Throughline</a></p>`);
  if (unsubscribeUrl)
    parts.push(
      `<p style="color:#555;font-size:12px">You receive this because a Throughline admin scheduled it for you. ` +
        `<a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe from these reports</a></p>`,
    );
  return {
    to,
    subject: `Throughline: ${d.title}`,
    text:
      digestText(d) +
      (attachments.length ? `\nAttached: ${attachments.map((a) => a.filename).join(", ")}\n` : "") +
      (unsubscribeUrl ? `\nUnsubscribe from these reports: ${unsubscribeUrl}\n` : ""),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1a1a1a">${parts.join("")}</body></html>`,
    attachments,
    headers: unsubscribeUrl
      ? { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
      : undefined,
  };
}
