import { describe, expect, test } from 'vitest';
import { renderHtml } from '../../../reports/html.ts';
import { reachabilityGrid } from '../../../reports/html-grid.ts';
import { FAKE_KEY_ID, sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

/** The text of the element with `id`, up to its closing tag (enough for these small fixtures). */
function sectionById(html: string, id: string, tag = 'section'): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `no element with id ${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf(`</${tag}>`, start));
}

describe('renderHtml', () => {
  const html = renderHtml(sampleModel());

  test('is one self-contained page: inline CSS, no scripts, no external assets', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link |<img |@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  test('the header states run id, target, profile, start, duration, the four counts and the overall verdict', () => {
    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    for (const fact of ['mc-test-0001', 'embedded twin', 'gate', '2025-01-02T03:04:05.678Z', '1 min 00 s']) {
      expect(header).toContain(fact);
    }
    expect(header).toContain('✔ 2 passed');
    expect(header).toContain('✘ 1 failed');
    expect(header).toContain('⚠ 1 error');
    expect(header).toContain('⊘ 1 skipped');
    expect(header).toContain('✘ DOES NOT CONFORM — exit code 1');
  });

  test('each section lists its items with id, words, verdict in words and colour, and duration', () => {
    const n = sectionById(html, 's-0');
    expect(n).toContain('<h2>N · VPCs talk through the Transit Gateway only where allowed</h2>');
    expect(n).toContain(
      '<span class="badge v-fail">✘ FAIL</span> <span class="id">N7</span> <span class="words">prod-app → dev-app over the TGW (ICMP): deny</span> <span class="dur">120 ms</span>',
    );
    expect(n).toContain('<span class="badge v-error">⚠ ERROR</span>');
    expect(n).toContain('must stay silent, but it answered.');
    const d = sectionById(html, 's-1');
    expect(d).toContain('<span class="badge v-skip">⊘ SKIP</span>');
    expect(d).toContain('no peering in targets');
  });

  test('a "needs attention" list puts every fail, then every error, first, linked to the item', () => {
    const list = sectionById(html, 'attention');
    expect(list.indexOf('#t-1')).toBeGreaterThan(-1);
    expect(list.indexOf('#t-1')).toBeLessThan(list.indexOf('#t-2'));
    expect(list).not.toContain('#t-0');
    expect(renderHtml(sampleModel({ tests: [sampleTests()[0]!] }))).not.toContain('id="attention"');
  });

  test('failures and errors open by themselves; passes stay folded', () => {
    expect(html).toContain('<details class="item v-fail" id="t-1" open>');
    expect(html).toContain('<details class="item v-error" id="t-2" open>');
    expect(html).toContain('<details class="item v-pass" id="t-0">');
  });

  test('evidence renders per kind: ping in <pre>, probe as a table with log tail, unknown kinds as JSON', () => {
    expect(html).toContain('<pre class="ping">$ ping -c 3 -W 2 10.9.1.10\n3 packets transmitted');
    const probe = sectionById(html, 't-3', 'details');
    expect(probe).toContain('<table class="probe">');
    expect(probe).toMatch(
      /<td>get-object-public<\/td><td>s3<\/td><td><span class="mark v-error">timeout<\/span><\/td><td>ETIMEDOUT<\/td><td>5000 ms<\/td>/,
    );
    expect(probe).toContain('START RequestId: 1');
    expect(probe).toContain('&quot;nested&quot;: {');
    expect(probe).toContain('cold start took 4 s');
  });

  test('the reachability grid has from hosts as rows, to hosts as columns, and expected vs observed per cell', () => {
    const grid = sectionById(html, 'reachability');
    expect(grid).toContain('<th scope="col">dev-app</th><th scope="col">shared-app</th>');
    const row = (from: string) => grid.slice(grid.indexOf(`<th scope="row">${from}</th>`)).split('</tr>')[0]!;
    expect(row('prod-app')).toContain(
      '<td class="cell v-fail"><div><span class="proto">ICMP</span> <a href="#t-1">deny / answered</a> <span class="mark v-fail">✘ not as intended</span>',
    );
    expect(row('prod-app')).toContain(
      '<a href="#t-0">allow / answered</a> <span class="mark v-pass">✔ as intended</span>',
    );
    expect(row('dev-app')).toContain('<td class="cell empty">·</td>');
    expect(row('dev-app')).toContain(
      '<a href="#t-2">allow / unknown</a> <span class="mark v-error">? cannot tell</span>',
    );
  });

  test('reachabilityGrid keeps every observation of a pair (several protocols)', () => {
    const tests = sampleTests();
    tests[0]!.evidence.push({
      kind: 'reachability',
      summary: '',
      value: { from: 'prod-app', to: 'shared-app', expect: 'allow', observed: 'silent', protocol: 'TCP 443' },
    });
    const grid = reachabilityGrid(tests);
    expect(grid.rows).toEqual(['dev-app', 'prod-app']);
    expect(grid.cells.get('prod-app\u0000shared-app')!.map((e) => [e.protocol, e.conforms])).toEqual([
      ['ICMP', true],
      ['TCP 443', false],
    ]);
  });

  test('the index maps each id to its file, with how its rows came out', () => {
    const index = sectionById(html, 'index');
    expect(index).toContain(
      '<tr><td><a href="#t-0">N7</a></td><td><code>suites/network.test.ts</code></td><td>1 passed · 1 failed · 1 error</td></tr>',
    );
    expect(index).toContain('<a href="#t-3">D3</a>');
    expect(index.indexOf('>D3<')).toBeLessThan(index.indexOf('>N7<'));
  });

  test('the API call table lists operations busiest first with a total', () => {
    const calls = sectionById(html, 'calls');
    expect(calls).toMatch(
      /ec2\.DescribeVpcs<\/code><\/td><td class="num">4<\/td><\/tr><tr><td><code>ssm\.SendCommand<\/code><\/td><td class="num">2</,
    );
    expect(calls).toContain('<th scope="row">total</th><td class="num">6</td>');
  });

  test('escapes markup from test output and redacts secrets that slipped into the model', () => {
    const tests = sampleTests();
    tests[1]!.message = `<script>alert(1)</script> caller ${FAKE_KEY_ID}`;
    const page = renderHtml(sampleModel({ tests }));
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; caller AKIA[REDACTED]');
    expect(page).not.toContain(FAKE_KEY_ID);
  });

  test('a run with problems shows them, and an all-pass run says it conforms', () => {
    expect(renderHtml(sampleModel({ problems: [{ message: 'unhandled error: boom' }] }))).toContain(
      'Problems with the run',
    );
    expect(renderHtml(sampleModel({ exitCode: 0 }))).toContain('✔ CONFORMS — exit code 0');
  });
});
