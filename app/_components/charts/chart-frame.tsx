"use client";

import { type ReactNode, useEffect, useState } from "react";

/**
 * Recharts draws its SVG only in the browser: the server sends a fixed-height box with a skeleton, so the page
 * does not jump, and the numbers are always in the "Show data" table below each chart.
 */
export function ChartFrame({
  height,
  label,
  children,
}: {
  height: number;
  label: string;
  children: ReactNode;
}) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <div
      className="chart-box"
      style={{ height }}
      role="img"
      aria-label={label}
      data-chart-ready={mounted ? "true" : "false"}
    >
      {mounted ? children : <div className="chart-skeleton" />}
    </div>
  );
}
