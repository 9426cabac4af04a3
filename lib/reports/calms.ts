import type { Db } from "@/lib/db";
import type { Scope } from "@/lib/metrics/scope";
import type { ReportPeriods } from "./period";
import type { CalmsReportSection } from "./types";

/**
 * The report's CALMS section: the latest survey round's results for the report's scope, with the say-vs-do notes.
 *
 * Extension point. CALMS lives in lib/calms; wire it here and every format shows it: the PDF
 * (lib/reports/pdf/calms-page.tsx), the printable page (app/reports/view/calms-section.tsx), the CSV dataset `calms`
 * (lib/reports/datasets.ts), the JSON's `calms` field, and `highlights` in the summary's "In brief". Apply the
 * anonymity thresholds before returning: renderers show everything in the section and hide nothing themselves.
 * Return undefined when there is no closed round (the section is then left out, not shown empty).
 */
export async function loadCalmsSection(
  _db: Db,
  _input: { scope: Scope; periods: ReportPeriods },
): Promise<CalmsReportSection | undefined> {
  return undefined;
}
