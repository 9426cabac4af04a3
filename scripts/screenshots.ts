import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { launchChromium } from "@/test/helpers/browser";
import { main } from "./lib/cli";

/**
 * npm run screenshots -- --url http://localhost:3000 [--out docs/screenshots] [--pages /,/teams/payments]
 * Full-page PNGs of a running server, in Debian's Chromium: for the README, and to look at what we build.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: "http://localhost:3000" },
      out: { type: "string", default: "docs/screenshots" },
      pages: { type: "string", default: "/,/teams/payments,/deployments,/settings/repositories" },
      width: { type: "string", default: "1400" },
      dark: { type: "boolean", default: false },
    },
  });
  const out = values.out as string;
  fs.mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: Number(values.width), height: 900 },
    colorScheme: values.dark ? "dark" : "light",
  });
  for (const p of (values.pages as string).split(",")) {
    await page.goto(new URL(p, values.url).toString(), { waitUntil: "networkidle" });
    await page.waitForTimeout(600); // charts draw after hydration
    const name = p === "/" ? "overview" : p.replace(/^\//, "").replace(/[/?=&]+/g, "-");
    const file = path.join(out, `${name}${values.dark ? "-dark" : ""}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await browser.close();
});
