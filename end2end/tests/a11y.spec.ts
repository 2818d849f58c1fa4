import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { PAGES, LANGS } from "./pages";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

for (const lang of LANGS) {
  for (const path of [...PAGES, "/pagina-che-non-esiste"]) {
    test(`axe finds no WCAG 2.1 AA violation on ${path} (${lang})`, async ({ page }) => {
      await page.goto(`${path}?lang=${lang}`);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary).toEqual([]);
    });
  }
}

test("axe finds no violation at 320 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/");
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
  // No horizontal scrolling at 320 px (WCAG 1.4.10 reflow).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
