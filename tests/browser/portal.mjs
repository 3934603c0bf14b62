// Browser checks of the performance portal in Debian's Chromium:
//   node tests/browser/portal.mjs BASE_URL SCREENSHOT_DIR
// 1. axe-core (WCAG 2.2 AA rules) on the index, a report page and a measure page;
// 2. a click-through: index → report → measure → the same measure at another report date,
//    with a screenshot of each page; keyboard focus reaches the filters and is visible.
// Prints one JSON object; exits 1 when anything fails.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const [base, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const result = { violations: {}, path: [], focus: null, filtered: null };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const [name, url] of [["index", "index.html"], ["report", "latest/childrens-safeguarding.html"],
    ["measure", "latest/measures/sw-caseload.html"]]) {
    await page.goto(base + url);
    const axe = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    result.violations[name] = axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, help: v.help }));
  }
  await page.goto(base + "index.html");
  await page.screenshot({ path: `${shots}/1-index.png`, fullPage: true });
  result.path.push(await page.title());
  await page.getByRole("link", { name: "Children's Safeguarding" }).first().click();
  await page.screenshot({ path: `${shots}/2-report.png` });
  result.path.push(await page.title());
  await page.selectOption("select[name=rag]", "green");
  result.filtered = await page.locator("tbody.measure:visible").count();
  await page.selectOption("select[name=rag]", "");
  await page.getByRole("link", { name: /Children's Social Worker/ }).click();
  await page.screenshot({ path: `${shots}/3-measure.png`, fullPage: true });
  result.path.push(await page.title());
  await page.getByRole("navigation", { name: "Report dates" }).getByRole("link", { name: "30.11.17" }).click();
  await page.screenshot({ path: `${shots}/4-measure-earlier.png` });
  result.path.push(await page.title());
  result.url = page.url();
  // keyboard: tab from the top of a report page until the first filter has focus
  await page.goto(base + "latest/childrens-safeguarding.html");
  let focused = null;
  for (let i = 0; i < 40 && focused !== "rag"; i += 1) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("name"));
  }
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  result.focus = { reached: focused === "rag", outline };
  await page.screenshot({ path: `${shots}/5-focus.png` });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
const failed = Object.values(result.violations).some((v) => v.length) || !result.focus?.reached;
process.exit(failed ? 1 : 0);
