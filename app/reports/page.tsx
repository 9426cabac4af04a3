import type { Metadata } from "next";
import { getDb } from "@/lib/db";
import { parsePeriodSpec } from "@/lib/metrics/period";
import { describePeriod, lastCompleted } from "@/lib/reports/period";
import { getOrgSettings } from "@/lib/settings/org";
import { listTeams } from "@/lib/teams";
import { ReportForm } from "./_components/report-form";
import "./reports.css";
import { requireRole } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Reports" };

/** Reports: choose the org or a team and a period, then view, print, or download the PDF or the CSVs. */
export default async function ReportsPage() {
  await requireRole("viewer");
  const db = await getDb();
  const [settings, teams] = await Promise.all([getOrgSettings(db), listTeams(db)]);
  const last = lastCompleted(settings.timeZone);
  const label = (spec: string) => {
    const p = parsePeriodSpec(spec, settings.timeZone);
    return p ? describePeriod(p).label : spec;
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Reports</h1>
          <p>
            A report to forward: the five DORA metrics against the previous period, in plain sentences, with
            the trends, where lead time goes, the teams, the latest CALMS survey round, what fed the data and
            the definitions. As a page to print, a PDF, or CSVs of every number and the deployments, changes,
            pull requests and incidents behind them.
          </p>
        </div>
      </div>
      <ReportForm
        teams={teams.map((t) => ({ slug: t.slug, name: t.name }))}
        orgName={settings.name}
        presets={[
          { value: last.quarter, label: `Last quarter (${label(last.quarter)})`, cli: "last-quarter" },
          { value: last.month, label: `Last month (${label(last.month)})`, cli: "last-month" },
        ]}
      />
    </>
  );
}
