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

const html = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function composeMail(d: Digest, to: string[], attachments: Attachment[]): Mail {
  const items = (xs: string[]) => `<ul>${xs.map((x) => `<li>${x}</li>`).join("")}</ul>`;
  const parts = [
    `<h1 style="font-size:18px;margin:0 0 4px">${html(d.title)}</h1>`,
    `<p style="color:#555;margin:0 0 12px">${html(d.period)}</p>`,
    items(d.metrics.map((m) => html(metricLine(m)))),
  ];
  if (d.inBrief.length) parts.push('<h2 style="font-size:15px">In brief</h2>', items(d.inBrief.map(html)));
  if (d.failures.length) {
    const rows = d.failures.map(
      (f) => `${f.url ? `<a href="${html(f.url)}">${html(f.label)}</a>` : html(f.label)}: ${html(f.detail)}`,
    );
    if (d.moreFailures) rows.push(`and ${d.moreFailures} more`);
    parts.push('<h2 style="font-size:15px">Failed deployments</h2>', items(rows));
  }
  if (attachments.length)
    parts.push(`<p>Attached: ${attachments.map((a) => html(a.filename)).join(", ")}.</p>`);
  if (d.link) parts.push(`<p><a href="${html(d.link)}">Open the report in Throughline</a></p>`);
  return {
    to,
    subject: `Throughline: ${d.title}`,
    text:
      digestText(d) +
      (attachments.length ? `\nAttached: ${attachments.map((a) => a.filename).join(", ")}\n` : ""),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1a1a1a">${parts.join("")}</body></html>`,
    attachments,
  };
}
