/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The HTML report as a person's browser shows it: Debian's Chromium driven
 * headless by playwright-core (no browser download: `.ci/run` installs the
 * distribution's package). What the page logged as errors, which of its
 * links lead nowhere, and what its counts and reachability grid say.
 */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export interface RenderedReport {
  /** Console errors and uncaught page errors while it loaded. */
  errors: string[];
  /** Links whose target is not on the page (`#t-9` with no element t-9), or outside it and unreadable. */
  brokenLinks: string[];
  /** The header's counts, as shown: `✔ 12 passed`, … */
  counts: string[];
  /**
   * Each grid cell with content: its row and column host, its colour (pass, fail, error), and for each
   * line the linked words (`allow / answered`) and where they link.
   */
  grid: { from: string; to: string; verdict: string; lines: { text: string; href: string }[] }[];
  /** Section headings of the checklist, in page order. */
  sections: string[];
}

export async function renderReport(reportsDir: string): Promise<RenderedReport> {
  if (!CHROMIUM) throw new Error('no Chromium at /usr/bin/chromium: apt-get install chromium');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    await page.goto(pathToFileURL(join(reportsDir, 'report.html')).href, { waitUntil: 'load' });
    const seen = await page.evaluate(() => {
      const text = (e: Element | null) => (e?.textContent ?? '').trim();
      const brokenLinks = [...document.querySelectorAll('a[href]')]
        .map((a) => a.getAttribute('href')!)
        .filter((href) => (href.startsWith('#') ? !document.getElementById(href.slice(1)) : true));
      const counts = [...document.querySelectorAll('header ul.counts li')].map(text);
      const table = document.querySelector('table.grid');
      const columns = [...(table?.querySelectorAll('thead th') ?? [])].slice(1).map(text);
      const grid = [...(table?.querySelectorAll('tbody tr') ?? [])].flatMap((tr) => {
        const from = text(tr.querySelector('th'));
        return [...tr.querySelectorAll('td')].flatMap((td, i) => {
          const lines = [...td.querySelectorAll('div')].map((div) => ({
            text: text(div.querySelector('a')),
            href: div.querySelector('a')?.getAttribute('href') ?? '',
          }));
          const verdict = /\bv-(pass|fail|error)\b/.exec(td.className)?.[1] ?? '';
          return lines.length ? [{ from, to: columns[i] ?? '', verdict, lines }] : [];
        });
      });
      const sections = [...document.querySelectorAll('section.section > h2')].map(text);
      return { brokenLinks, counts, grid, sections };
    });
    return { errors, ...seen };
  } finally {
    await browser.close();
  }
}
