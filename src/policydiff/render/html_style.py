"""Colours, names, stylesheet and script of the HTML reports (inline: the reports fetch nothing)."""

from __future__ import annotations

RELATION_ZH = {
    "identical": "相同",
    "modified": "修改",
    "merged": "合并",
    "split": "拆分",
    "partial": "部分",
    "added": "新增",
    "dropped": "删除",
    "related": "相关",
}
# Distinct hues, dark enough for white badge text and still tellable apart in print.
RELATION_COLOR = {
    "identical": "#1a7f37",
    "modified": "#9a6700",
    "merged": "#0b7285",
    "split": "#6f42c1",
    "partial": "#0969da",
    "added": "#bf3989",
    "dropped": "#cf222e",
    "related": "#4d5bce",
}
MOVED_COLOR = "#57606a"

CSS = """
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b4f8a;
  --del-bg: #ffebe9; --del-fg: #82071e; --ins-bg: #dafbe1; --ins-fg: #116329;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: #eef1f4;
  font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  font-size: 14px; line-height: 1.7;
}
.page { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 14px; line-height: 1.4; }
h1 small { font-size: 12px; font-weight: normal; color: var(--muted); margin-left: 10px; letter-spacing: .02em; }
h2 { font-size: 16px; margin: 0 0 10px; }
.docs { display: grid; grid-template-columns: 1fr 36px 1fr; gap: 8px; align-items: stretch; }
.doc { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; background: var(--soft); }
.doc .role { display: inline-block; font-size: 12px; color: #fff; background: var(--accent); border-radius: 3px; padding: 0 6px; margin-right: 8px; }
.doc.doc-b .role { background: #1a7f37; }
.doc h2 { font-size: 16px; margin: 0 0 6px; }
.doc .sub { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.doc dl { display: grid; grid-template-columns: auto 1fr; gap: 0 12px; margin: 0; font-size: 13px; }
.doc dt { color: var(--muted); }
.doc dd { margin: 0; }
.arrow { display: flex; align-items: center; justify-content: center; font-size: 22px; color: var(--muted); }
.direction { margin: 12px 0 0; font-size: 13px; }
.direction ul { margin: 4px 0 0; padding-left: 20px; }
.direction .warn { color: #9a6700; }
.overview { display: grid; grid-template-columns: minmax(320px, 1fr) auto; gap: 18px; align-items: start; }
.overview .card { margin-bottom: 0; }
.reuse { display: flex; align-items: baseline; gap: 12px; margin-bottom: 8px; }
.reuse b { font-size: 40px; line-height: 1.1; color: var(--accent); font-variant-numeric: tabular-nums; }
.reuse span { color: var(--muted); }
.figs { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 14px 0; }
.fig { border: 1px solid var(--line); border-left: 4px solid var(--c, #999); border-radius: 4px; padding: 4px 10px; }
.fig b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
.fig span { font-size: 12px; color: var(--muted); }
.legend { font-size: 12px; color: var(--muted); }
.legend .badge { margin: 0 4px 4px 0; }
.heatmap figcaption { font-size: 12px; color: var(--muted); max-width: 520px; }
.heatmap figure { margin: 0; }
.heatmap-svg { display: block; margin: 0 auto; }
.heatmap-svg .lbl { fill: var(--muted); font-family: inherit; }
.heatmap-svg .axis { fill: var(--muted); font-size: 11px; }
.heatmap-svg .sec { stroke: #8c959f; stroke-width: 1; }
.heatmap-svg a:hover rect { stroke: #000; stroke-width: 2; }
.badge { display: inline-block; color: #fff; border-radius: 10px; padding: 0 8px; font-size: 12px; line-height: 20px; white-space: nowrap; }
.badge small { font-size: 10px; opacity: .85; margin-left: 4px; }
""" + "".join(f".rel-{k}.badge, .badge.rel-{k} {{ background: {v}; }}\n" for k, v in RELATION_COLOR.items()) + f"""
.badge.moved {{ background: #fff; color: {MOVED_COLOR}; border: 1px dashed {MOVED_COLOR}; line-height: 18px; margin-left: 4px; }}
""" + """
.controls { display: flex; gap: 18px; align-items: center; font-size: 13px; color: var(--muted); margin-bottom: 10px; }
.controls label { cursor: pointer; user-select: none; }
table.pairs { width: 100%; border-collapse: collapse; table-layout: fixed; background: #fff; }
table.pairs th { position: sticky; top: 0; z-index: 1; background: #f6f8fa; text-align: left; font-size: 13px; padding: 8px 12px; border-bottom: 2px solid var(--line); }
table.pairs th.meta { text-align: center; }
table.pairs td { vertical-align: top; padding: 10px 12px; border-bottom: 1px solid var(--line); }
tr.pair td.meta { background: #fbfcfd; text-align: center; border-left: 1px solid var(--line); border-right: 1px solid var(--line); }
tr.pair { scroll-margin-top: 48px; }
tr.pair:target td { background: #fff8c5; }
tr.rel-dropped td.side-a, tr.rel-dropped td.empty { background: #fff5f5; }
tr.rel-added td.side-b, tr.rel-added td.empty { background: #fdf2f8; }
tr.rel-identical td.side { color: #3d444d; }
td.empty { text-align: center; vertical-align: middle !important; }
.none { color: #8c959f; font-size: 13px; }
.cl-head { display: flex; gap: 8px; align-items: baseline; margin-bottom: 4px; min-width: 0; }
.cl-label { flex: none; font-weight: bold; color: var(--accent); background: #e7f0fa; border-radius: 3px; padding: 0 6px; font-size: 12px; }
.side-b .cl-label { color: #116329; background: #e6f4ea; }
.cl-path { color: var(--muted); font-size: 12px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; min-width: 0; }
.again { flex: none; margin-left: auto; font-size: 11px; color: #0b7285; border: 1px solid #99d1db; border-radius: 3px; padding: 0 5px; }
.cl-text { white-space: pre-wrap; word-break: break-word; text-align: justify; }
.cl-text b.lead { font-weight: bold; color: #0b3d6b; }
.side-b .cl-text b.lead { color: #0f4d24; }
del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; text-decoration-color: rgba(130,7,30,.5); border-radius: 2px; }
ins { background: var(--ins-bg); color: var(--ins-fg); text-decoration: underline; text-decoration-color: rgba(17,99,41,.35); text-underline-offset: 3px; border-radius: 2px; }
.metric { display: grid; grid-template-columns: auto 1fr; column-gap: 6px; font-size: 12px; margin-top: 6px; text-align: left; color: var(--muted); }
.metric b { text-align: right; color: var(--fg); font-variant-numeric: tabular-nums; }
.metric .bar { grid-column: 1 / 3; display: block; height: 4px; background: #e6e9ed; border-radius: 2px; overflow: hidden; margin-top: 2px; }
.metric .bar i { display: block; height: 100%; background: var(--accent); }
.badges .badge { margin-bottom: 4px; }
.nums { list-style: none; margin: 10px 0 0; padding: 8px 10px; background: #fff8e6; border: 1px solid #f0d9a0; border-radius: 4px; font-size: 13px; }
.nums li { margin: 2px 0; }
.num-kind { display: inline-block; font-size: 11px; color: #fff; background: #9a6700; border-radius: 3px; padding: 0 5px; margin-right: 6px; }
.num-removed .num-kind { background: #cf222e; } .num-added .num-kind { background: #bf3989; } .num-same .num-kind { background: #8c959f; }
.num-subj { color: var(--muted); margin-right: 6px; }
.num-old { color: var(--del-fg); } .num-new { color: var(--ins-fg); font-weight: bold; }
s.num-old { text-decoration: line-through; }
.num-same { color: var(--muted); }
body.hide-identical tr.rel-identical { display: none; }
body.compact .cl-text { max-height: 5.1em; overflow: hidden; }
table.grid { width: 100%; border-collapse: collapse; background: #fff; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; text-align: left; }
table.grid th { background: #f6f8fa; }
table.grid td.cover { text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; }
.hit-item { display: block; white-space: nowrap; }
.hit-item .sim { color: var(--muted); font-size: 12px; margin-left: 4px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 18px; }
@media (max-width: 900px) { .overview, .docs { grid-template-columns: 1fr; } .arrow { transform: rotate(90deg); } }
@media print {
  body { background: #fff; font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .card { border: none; padding: 0; margin-bottom: 12pt; }
  .controls { display: none !important; }
  table.pairs th { position: static; }
  thead { display: table-header-group; }
  tr.pair { break-inside: avoid-page; }
  .overview { grid-template-columns: 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

# Controls stay hidden until the script runs, so a no-script viewer sees no dead checkboxes.
SCRIPT = """
(function () {
  var c = document.querySelector('.controls');
  if (!c) return;
  c.hidden = false;
  c.querySelectorAll('input[data-toggle]').forEach(function (el) {
    el.addEventListener('change', function () { document.body.classList.toggle(el.getAttribute('data-toggle'), el.checked); });
  });
})();
"""
