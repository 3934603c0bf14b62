// Browser checks of the performance portal in Debian's Chromium:
//   node tests/browser/portal.mjs SITE_URL SCREENSHOT_DIR FILE_URL SECTIONS_URL BENCHMARKS_PAGE
// SITE_URL: the example's site/ on a local web server (a sub-path, not the server root);
// FILE_URL: the same folder as file://; SECTIONS_URL: a site whose report has sections;
// BENCHMARKS_PAGE: a measure page with benchmark charts (tests/projects/benchmarks).
// 1. axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the index, a report page and a measure page;
// 2. a click-through: index → report → measure → the same measure at another report date,
//    with a screenshot of each page; the same links from file://;
// 3. the filters: counts, section headings, the address (#rag=…), "Show all", JavaScript off;
// 4. keyboard: Tab reaches the filters and every link, and focus is visible.
// Prints one JSON object; exits 1 when anything fails.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const [base, shots, fileBase, sectionsBase, benchmarksPage] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const result = { violations: {}, path: [], url: null, file: [], filters: {}, nojs: {}, focus: {}, requests: [] };
const visible = (page, selector) => page.locator(`${selector}:visible`).count();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("request", (request) => {
    const url = request.url();
    const sites = [base, sectionsBase, benchmarksPage.split("latest/")[0]];
    if (!sites.some((site) => url.startsWith(site)) && !url.startsWith("file:") && !url.startsWith("data:")) {
      result.requests.push(url); // anything leaving the site is a failure
    }
  });

  // 1. accessibility
  for (const [name, url] of [["index", "index.html"], ["report", "latest/childrens-safeguarding.html"],
    ["measure", "latest/measures/sw-caseload.html"], ["date", "2017-11-30/index.html"]]) {
    await page.goto(base + url);
    const axe = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    result.violations[name] = axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, help: v.help }));
  }
  // a measure page with benchmarks: England's line on the trend chart, the neighbours' ranked chart and its table
  for (const [name, url] of [["benchmarks", benchmarksPage], ["benchmarks-example", base + "latest/measures/adoption-authority-to-match.html"]]) {
    await page.goto(url);
    const axe = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    result.violations[name] = axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, help: v.help }));
  }

  // 2. click-through over http, from a sub-path
  await page.goto(base + "index.html");
  await page.screenshot({ path: `${shots}/1-index.png`, fullPage: true });
  result.path.push(await page.title());
  await page.getByRole("heading", { level: 3 }).getByRole("link", { name: "Children's Safeguarding" }).click();
  await page.screenshot({ path: `${shots}/2-report.png` });
  result.path.push(await page.title());
  await page.getByRole("link", { name: /Children's Social Worker/ }).click();
  await page.screenshot({ path: `${shots}/3-measure.png`, fullPage: true });
  result.path.push(await page.title());
  await page.getByRole("navigation", { name: "Report dates" }).getByRole("link", { name: "30.11.17" }).click();
  await page.screenshot({ path: `${shots}/4-measure-earlier.png`, fullPage: true });
  result.path.push(await page.title());
  result.url = page.url();
  const pdf = await page.request.get(new URL("../childrens-safeguarding.pdf", page.url()).href);
  result.pdf = (await pdf.body()).subarray(0, 5).toString();

  // the same from file://, as someone opening the folder would
  await page.goto(fileBase + "index.html");
  await page.getByRole("heading", { level: 3 }).getByRole("link", { name: "Children's Safeguarding" }).click();
  result.file.push(await page.locator("h1").textContent());
  await page.getByRole("link", { name: /Children's Social Worker/ }).click();
  await page.getByRole("navigation", { name: "Report dates" }).getByRole("link", { name: "30.11.17" }).click();
  result.file.push(await page.locator("h1").textContent(), page.url().split("/site/")[1]);

  // 3. filters
  await page.goto(base + "latest/childrens-safeguarding.html");
  await page.selectOption("select[name=rag]", "green");
  result.filters.green = await visible(page, "tbody.measure");
  result.filters.count = await page.locator(".filter-count").textContent();
  result.filters.hash = new URL(page.url()).hash;
  await page.selectOption("select[name=direction]", "worse");
  result.filters.greenWorse = await visible(page, "tbody.measure");
  await page.getByRole("button", { name: "Show all" }).click();
  await page.waitForFunction(() => !location.hash);
  result.filters.reset = await visible(page, "tbody.measure");
  await page.goto(sectionsBase + "latest/by-service.html#rag=amber");
  result.filters.fromAddress = await page.locator("select[name=rag]").inputValue();
  result.filters.sections = (await page.locator("tbody.section:visible").allTextContents()).map((text) => text.trim());
  result.filters.amber = await visible(page, "tbody.measure");
  await page.screenshot({ path: `${shots}/5-filtered.png` });

  // JavaScript off: no controls, every measure
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(base + "latest/childrens-safeguarding.html#rag=green");
  result.nojs = { filters: await visible(noScript, "form.filters"), measures: await visible(noScript, "tbody.measure") };
  await plain.close();

  // 4. keyboard: Tab through the whole report page
  await page.goto(base + "latest/childrens-safeguarding.html");
  const reached = new Set();
  let outlines = new Set();
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return { key: el.getAttribute("name") || el.getAttribute("href") || el.textContent.trim(),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 };
    });
    if (!seen) continue;
    reached.add(seen.key);
    outlines.add(seen.outline);
    if (seen.key === "rag") await page.screenshot({ path: `${shots}/6-focus.png` });
  }
  const links = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  result.focus = {
    filters: ["rag", "status", "direction", "Show all"].every((k) => reached.has(k)),
    links: links.every((href) => reached.has(href)),
    allVisible: outlines.size === 1 && outlines.has(true),
  };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
const failed = Object.values(result.violations).some((v) => v.length) || result.requests.length
  || !result.focus.filters || !result.focus.links || !result.focus.allVisible;
process.exit(failed ? 1 : 0);
