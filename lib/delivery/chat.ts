import { type Digest, metricLine } from "./digest";

/**
 * A digest as a chat message: Slack's Block Kit for its incoming webhooks, an Adaptive Card (1.4) in a "message" for
 * Microsoft Teams (Workflows "post to a channel when a webhook request is received", and the older Office 365
 * connectors). Both keep within the documented limits (Slack: 50 blocks, 150 characters in a header, 3,000 in a
 * section; text is cut with an ellipsis rather than the post refused).
 */

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
/** Slack mrkdwn: &, < and > must be escaped in text that is not markup. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackMessage(d: Digest): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: cut(d.title, 150), emoji: true } },
    { type: "context", elements: [{ type: "mrkdwn", text: cut(esc(d.period), 3000) }] },
    {
      type: "section",
      text: { type: "mrkdwn", text: cut(d.metrics.map((m) => `• ${esc(metricLine(m))}`).join("\n"), 3000) },
    },
  ];
  if (d.inBrief.length) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: cut(`*In brief*\n${d.inBrief.map((s) => `• ${esc(s)}`).join("\n")}`, 3000),
      },
    });
  }
  if (d.failures.length) {
    const items = d.failures.map(
      (f) => `• ${f.url ? `<${f.url}|${esc(f.label)}>` : esc(f.label)}: ${esc(f.detail)}`,
    );
    if (d.moreFailures) items.push(`• and ${d.moreFailures} more`);
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: cut(`*Failed deployments*\n${items.join("\n")}`, 3000) },
    });
  }
  if (d.link) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open the report" }, url: d.link }],
    });
  }
  // `text` is what notifications and screen readers show.
  return { text: cut(`${d.title} (${d.period})`, 3000), blocks };
}

export function teamsMessage(d: Digest): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: "TextBlock", text: d.title, size: "Medium", weight: "Bolder", wrap: true },
    { type: "TextBlock", text: d.period, isSubtle: true, spacing: "None", wrap: true },
    {
      type: "FactSet",
      facts: d.metrics.map((m) => {
        const [, value] = metricLine(m).split(/: (.*)/s);
        return { title: m.name, value: value ?? m.value };
      }),
    },
  ];
  if (d.inBrief.length) {
    body.push({ type: "TextBlock", text: "In brief", weight: "Bolder", wrap: true });
    body.push({ type: "TextBlock", text: d.inBrief.map((s) => `- ${s}`).join("\n"), wrap: true });
  }
  if (d.failures.length) {
    const items = d.failures.map((f) => `- ${f.url ? `[${f.label}](${f.url})` : f.label}: ${f.detail}`);
    if (d.moreFailures) items.push(`- and ${d.moreFailures} more`);
    body.push({ type: "TextBlock", text: "Failed deployments", weight: "Bolder", wrap: true });
    body.push({ type: "TextBlock", text: items.join("\n"), wrap: true });
  }
  const card: Record<string, unknown> = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
  };
  if (d.link) card.actions = [{ type: "Action.OpenUrl", title: "Open the report", url: d.link }];
  return {
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card },
    ],
  };
}

/** Posts a message; a refusal names the status and the start of the answer (never the URL: it is the secret). */
export async function postChat(
  url: string,
  message: unknown,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    // The host is not the secret (the path is); the cause says refused, unknown host or timeout.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).name;
    throw new Error(`could not reach the chat webhook's host ${new URL(url).host}: ${why}`);
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ").trim();
    throw new Error(`the chat webhook answered ${res.status}${text ? `: ${text}` : ""}`);
  }
}
