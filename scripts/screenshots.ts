import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { launchChromium } from "@/test/helpers/browser";
import { main } from "./lib/cli";

/** The README's pictures: name=path, taken at every width (the first width unsuffixed, the others `-390`). */
const DEFAULT_PAGES = [
  "overview=/",
  "team=/teams/payments",
  "deployment=/deployments?team=payments&outcome=failed#first",
  "calms=/calms",
  "pipeline=/teams/identity/pipeline",
].join(",");

/**
 * npm run screenshots -- --url http://localhost:3000 [--out docs/screenshots] [--widths 1366,390]
 *   [--pages overview=/,team=/teams/payments]
 * Full-page PNGs of a running server, in Debian's Chromium: for the README, and to look at what we build at a
 * desktop and a phone width. `deployment=…#first` opens the first deployment the list shows.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: "http://localhost:3000" },
      out: { type: "string", default: "docs/screenshots" },
      pages: { type: "string", default: DEFAULT_PAGES },
      widths: { type: "string", default: "1366,390" },
      dark: { type: "boolean", default: false },
    },
  });
  const out = values.out as string;
  fs.mkdirSync(out, { recursive: true });
  const widths = (values.widths as string).split(",").map(Number);
  const browser = await launchChromium();
  for (const [i, width] of widths.entries()) {
    const page = await browser.newPage({
      viewport: { width, height: width < 600 ? 844 : 900 },
      colorScheme: values.dark ? "dark" : "light",
    });
    page.setDefaultTimeout(180_000); // a busy machine renders a first page slowly; a picture is not a benchmark
    for (const entry of (values.pages as string).split(",")) {
      // name=path: the name ends at the first "=" (the path's query has its own).
      const cut = entry.indexOf("=");
      const named = cut > 0 && !entry.slice(0, cut).includes("/") ? entry.slice(0, cut) : null;
      const target = named ? entry.slice(cut + 1) : entry;
      const [p, hash] = target.split("#") as [string, string | undefined];
      const name = named ?? (p === "/" ? "overview" : p.replace(/^\//, "").replace(/[/?=&]+/g, "-"));
      await page.goto(new URL(p, values.url).toString(), { waitUntil: "networkidle" });
      if (hash === "first") {
        const list = page.url();
        await page.locator("tbody tr td a").first().click();
        await page.waitForURL((u) => u.toString() !== list);
        await page.waitForLoadState("networkidle");
      }
      await page.waitForTimeout(600); // charts draw after hydration
      const file = path.join(out, `${name}${i > 0 ? `-${width}` : ""}${values.dark ? "-dark" : ""}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await page.close();
  }
  await browser.close();
});
