/**
 * The page's only stylesheet, inlined so report.html is one self-contained
 * file (no external assets, no JavaScript). Verdict colours always sit next
 * to the verdict in words.
 */
export const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --error: #9a6700; --skip: #57606a; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1200px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0969da; }
.overall { font-size: 1.1rem; font-weight: 600; padding: .6rem .9rem; border-radius: 6px; border-left: 6px solid; background: var(--soft); }
.overall.v-pass { border-color: var(--pass); } .overall.v-fail { border-color: var(--fail); } .overall.v-error { border-color: var(--error); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .75rem 0; }
dl.meta dt { color: var(--skip); } dl.meta dd { margin: 0; }
ul.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
ul.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .3rem .7rem; font-weight: 600; }
.badge { display: inline-block; min-width: 5.8em; text-align: center; font-weight: 700; font-size: 12px; padding: .1rem .4rem; border-radius: 4px; color: #fff; }
.badge.v-pass { background: var(--pass); } .badge.v-fail { background: var(--fail); }
.badge.v-error { background: var(--error); } .badge.v-skip { background: var(--skip); }
.mark { font-weight: 600; white-space: nowrap; }
.mark.v-pass, li.v-pass { color: var(--pass); } .mark.v-fail, li.v-fail { color: var(--fail); }
.mark.v-error, li.v-error { color: var(--error); } .mark.v-skip, li.v-skip { color: var(--skip); }
details.item { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .2rem .7rem; }
details.item.v-pass { border-left-color: var(--pass); } details.item.v-fail { border-left-color: var(--fail); }
details.item.v-error { border-left-color: var(--error); } details.item.v-skip { border-left-color: var(--skip); }
details.item > summary { cursor: pointer; padding: .3rem 0; display: flex; gap: .6rem; align-items: baseline; }
.id { font-weight: 700; font-family: ui-monospace, monospace; }
.words { flex: 1; }
.dur, .sub, .where { color: var(--skip); font-size: 12.5px; }
.message { font-weight: 600; white-space: pre-wrap; }
.evidence { margin: .6rem 0; }
.evidence-head { margin: .2rem 0; }
.kind { font-family: ui-monospace, monospace; background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 .35rem; margin-right: .3rem; }
table.grid td.cell { min-width: 8rem; font-size: 12.5px; }
table.grid td.cell.v-pass { background: #dafbe1; } table.grid td.cell.v-fail { background: #ffebe9; }
table.grid td.cell.v-error { background: #fff8c5; } table.grid td.cell.empty { background: #fff; color: var(--skip); text-align: center; }
.proto { color: var(--skip); }
nav ul { columns: 2; }
ul.attention { list-style: none; padding: 0; } ul.attention li { margin: .3rem 0; }
.change { font-style: italic; color: #6b4e00; }
footer { margin-top: 3rem; color: var(--skip); font-size: 12.5px; }
@media print { details.item { break-inside: avoid; } body { max-width: none; } }
`;
