import { renderToBuffer } from "@react-pdf/renderer";
import { createElement } from "react";
import type { Report } from "../types";
import { ReportDocument } from "./document";
import type { Paper } from "./theme";

export type { Paper } from "./theme";

/** The report as PDF bytes: rendered on the server by @react-pdf/renderer, no browser (docs/adr/0008-reports.md). */
export async function renderReportPdf(report: Report, paper: Paper = "a4"): Promise<Buffer> {
  return renderToBuffer(
    createElement(ReportDocument, { report, paper }) as Parameters<typeof renderToBuffer>[0],
  );
}
