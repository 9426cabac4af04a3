import { getDb } from "@/lib/db";
import { escapeHtml } from "@/lib/delivery/email";
import { unsubscribe, verifyUnsubscribeToken } from "@/lib/delivery/unsubscribe";

export const dynamic = "force-dynamic";

/**
 * Unsubscribing from report e-mails, without signing in (ADR 0024). GET shows a confirmation with a button: link
 * scanners and previews fetch every URL of a mail, so a GET must change nothing. POST unsubscribes: the button, or
 * a mail client's one-click request (RFC 8058: `List-Unsubscribe=One-Click`, sent to the List-Unsubscribe URL).
 * The token is the address and its HMAC; the address is shown masked, never logged.
 */

type Ctx = { params: Promise<{ token: string }> };

/** a•••@example.com: enough to recognise one's own address on a shared screen. */
const masked = (email: string) => {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
};

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Throughline</title><style>body{font-family:system-ui,sans-serif;color:#1a1a1a;max-width:34em;margin:48px auto;padding:0 16px;line-height:1.5}button{font:inherit;font-weight:600;padding:8px 16px;border-radius:6px;border:1px solid #555;background:#fff;cursor:pointer}</style></head><body><h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // Not no-referrer: with it Chromium posts the confirmation form with `Origin: null`, which the proxy refuses as
      // cross-site. same-origin still keeps the token out of any other site's Referer.
      "referrer-policy": "same-origin",
    },
  });
}

const invalid = () =>
  page(
    404,
    "This unsubscribe link is not valid",
    "<p>It may have been cut when it was copied. Use the link at the bottom of a report e-mail, or ask a Throughline admin to remove you from the schedule.</p>",
  );

function addressOf(token: string): string | null {
  try {
    return verifyUnsubscribeToken(token);
  } catch {
    // No key on this server (THROUGHLINE_SECRET_KEY unset on PostgreSQL): no token can be valid.
    return null;
  }
}

export async function GET(_request: Request, { params }: Ctx): Promise<Response> {
  const email = addressOf((await params).token);
  if (!email) return invalid();
  return page(
    200,
    "Unsubscribe from Throughline reports?",
    `<p>${escapeHtml(masked(email))} will no longer receive any scheduled report e-mail from this Throughline.</p>` +
      `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>` +
      '<p style="color:#555">Changed your mind later? A Throughline admin can add you again.</p>',
  );
}

export async function POST(_request: Request, { params }: Ctx): Promise<Response> {
  const email = addressOf((await params).token);
  if (!email) return invalid();
  await unsubscribe(await getDb(), email);
  return page(
    200,
    "You are unsubscribed",
    `<p>${escapeHtml(masked(email))} will no longer receive scheduled report e-mails from this Throughline.</p>`,
  );
}
