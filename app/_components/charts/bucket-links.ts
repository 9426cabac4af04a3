"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import type { MouseHandlerDataParam } from "recharts";

/**
 * Chart bars and points link to their bucket's rows (lib/web/rows-link.ts): a click anywhere in a bucket's column
 * opens that bucket's deployments. Keyboard and screen-reader users have the same links in the "Show data" table.
 */
export function useBucketLinks(hrefs: readonly string[] | undefined) {
  const router = useRouter();
  const onClick = useCallback(
    (state: MouseHandlerDataParam) => {
      const i = Number(state.activeTooltipIndex ?? state.activeIndex);
      const href = hrefs && Number.isInteger(i) ? hrefs[i] : undefined;
      if (href) router.push(href);
    },
    [hrefs, router],
  );
  return hrefs ? { onClick, cursor: "pointer" as const } : { onClick: undefined, cursor: undefined };
}

/** The props of a dashboard chart whose buckets link to their rows. */
export interface BucketChartProps<T> {
  data: T[];
  height?: number;
  /** Per bucket: the rows behind it (a click opens them). */
  hrefs?: string[];
}
