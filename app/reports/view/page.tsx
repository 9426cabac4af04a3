import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db";
import { isLocalDate } from "@/lib/metrics/period";
import { SliceError } from "@/lib/metrics/scope";
import { buildReport, ReportInputError } from "@/lib/reports/build";
import "../reports.css";
import { requireRole } from "@/lib/auth/current";
import { ReportView } from "./report-view";

export const metadata: Metadata = { title: "Report" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || "";

/**
 * The printable report: the PDF's content as a page, with a print stylesheet (reports.css) for clean A4 or Letter
 * pages. ?team=<slug>&period=<2026-Q3 | 2026-09 | from..to | last-quarter>, or period=custom&from=&to= (the form).
 */
export default async function ReportViewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("viewer");
  const sp = await searchParams;
  const team = first(sp.team) || null;
  const from = first(sp.from);
  const to = first(sp.to);
  const requested = first(sp.period);
  let period = requested;
  if (requested === "custom" || (!requested && (from || to))) {
    period = isLocalDate(from) && isLocalDate(to) ? `${from}..${to}` : "";
  }
  try {
    if (!period) throw new ReportInputError("period", "choose a period, or both dates of a custom one");
    const report = await buildReport(await getDb(), { team, period });
    return <ReportView report={report} />;
  } catch (error) {
    if (!(error instanceof ReportInputError || error instanceof SliceError)) throw error;
    return (
      <div className="card empty-state">
        <h1 style={{ marginBottom: 8 }}>No report for these choices</h1>
        <div className="alert" role="alert">
          {error.message}
        </div>
        <Link className="btn btn-primary" href="/reports">
          Back to Reports
        </Link>
      </div>
    );
  }
}
