import { describe, expect, it } from "vitest";
import { slackMessage, teamsMessage } from "@/lib/delivery/chat";
import { type Digest, digestText, metricLine } from "@/lib/delivery/digest";
import { SlackMessage, TeamsMessage } from "@/test/fixtures/chat-shapes";

const digest: Digest = {
  title: "Payments: 24 Nov 2026 – 30 Nov 2026",
  period: "24 Nov – 30 Nov 2026, compared with 17 Nov – 23 Nov 2026",
  metrics: [
    {
      name: "Deployment frequency",
      value: "41 / week",
      band: "Elite",
      change: "+37%",
      tone: "better",
      sample: "",
    },
    { name: "Change lead time", value: "6.2 h", band: "Elite", change: null, tone: null, sample: "" },
    {
      name: "Change failure rate",
      value: "12.2%",
      band: "High",
      change: "+6.1 pp",
      tone: "worse",
      sample: "",
    },
  ],
  inBrief: ["A <b>bold</b> & risky sentence."],
  failures: [
    { label: "acme/pay @ e88b9eb on 25 Nov 2026", detail: "rollback; recovered in 30 minutes", url: null },
  ],
  moreFailures: 3,
  link: "https://tl.example.com/reports/view?team=payments&period=2026-11-24..2026-11-30",
};

describe("the digest", () => {
  it("shows a change only when it is clear, with its direction", () => {
    expect(digest.metrics.map(metricLine)).toEqual([
      "Deployment frequency: 41 / week (Elite), ▲ +37% better",
      "Change lead time: 6.2 h (Elite)",
      "Change failure rate: 12.2% (High), ▼ +6.1 pp worse",
    ]);
    expect(digestText(digest)).toContain(
      "- acme/pay @ e88b9eb on 25 Nov 2026: rollback; recovered in 30 minutes\n- and 3 more\n",
    );
  });

  it("as Slack Block Kit (mrkdwn escaped) and as a Teams Adaptive Card, in their documented shapes", () => {
    const slack = SlackMessage.parse(slackMessage(digest));
    expect(JSON.stringify(slack)).toContain("A &lt;b&gt;bold&lt;/b&gt; &amp; risky sentence.");
    const long = slackMessage({ ...digest, title: "x".repeat(400), inBrief: ["y".repeat(5000)] });
    expect(SlackMessage.parse(long).blocks[0]).toMatchObject({ text: { text: `${"x".repeat(149)}…` } });
    const teams = TeamsMessage.parse(teamsMessage(digest));
    expect(teams.attachments[0]?.content.body[2]).toEqual({
      type: "FactSet",
      facts: [
        { title: "Deployment frequency", value: "41 / week (Elite), ▲ +37% better" },
        { title: "Change lead time", value: "6.2 h (Elite)" },
        { title: "Change failure rate", value: "12.2% (High), ▼ +6.1 pp worse" },
      ],
    });
  });
});
