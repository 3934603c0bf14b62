// Browser checks of the performance portal in Debian's Chromium:
//   node tests/browser/portal.mjs SITE_URL SCREENSHOT_DIR FILE_URL SECTIONS_URL APPENDIX_URL BENCHMARKS_URL
// SITE_URL: the example's site/ on a local web server (a sub-path, not the server root);
// FILE_URL: the same folder as file://; SECTIONS_URL: a site whose report has sections;
// APPENDIX_URL: the example's standalone appendix (build --format html); BENCHMARKS_URL: a measure
// page with a benchmark line on its trend chart and a ranked chart of the neighbours.
// 1. axe-core with every rule (WCAG 2.0/2.1/2.2 A and AA, and best practice) at 1280 px and at
//    320 px (400% zoom) on the index, a date page, a report page, two measure pages and the
//    appendix; at 320 px nothing is wider than the window (WCAG 1.4.10 reflow);
// 2. a click-through: index → report → measure → the same measure at another report date,
//    with a screenshot of each page; the same links from file://;
// 3. the filters: counts, section headings, the address (#rag=…), "Show all", JavaScript off;
// 4. keyboard: Tab reaches the filters and every link, and focus is visible.
// Prints one JSON object; exits 1 when anything fails.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const [base, shots, fileBase, sectionsBase, appendix, benchmarks] = process.argv.slice(2);
const folder = (url) => url.slice(0, url.lastIndexOf("/") + 1);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const result = { violations: {}, overflow: {}, path: [], url: null, file: [], filters: {}, nojs: {}, focus: {}, requests: [] };
const visible = (page, selector) => page.locator(`${selector}:visible`).count();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("request", (request) => {
    const url = request.url();
    const own = [base, sectionsBase, folder(appendix), folder(benchmarks), "file:", "data:"];
    if (!own.some((prefix) => url.startsWith(prefix))) {
      result.requests.push(url); // anything leaving the site is a failure
    }
  });

  // 1. accessibility, wide and at 400% zoom
  const pages = [["index", base + "index.html"], ["date", base + "2017-11-30/index.html"],
    ["report", base + "latest/childrens-safeguarding.html"], ["measure", base + "latest/measures/sw-caseload.html"],
    ["benchmarks", benchmarks], ["appendix", appendix],
    ["benchmarks-example", base + "latest/measures/adoption-authority-to-match.html"]];
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, url] of pages) {
      await page.goto(url);
      const axe = await new AxeBuilder({ page }).analyze(); // every rule axe runs by default, best practice too
      result.violations[`${name}@${width}`] = axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, help: v.help }));
      if (width === 320) {
        result.overflow[name] = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (name === "report" || name === "appendix") await page.screenshot({ path: `${shots}/0-${name}-320.png` });
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });

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
  || Object.values(result.overflow).some((px) => px > 0)
  || !result.focus.filters || !result.focus.links || !result.focus.allVisible;
process.exit(failed ? 1 : 0);
