"""Colours, names, stylesheet and script of the HTML reports (inline: the reports fetch nothing)."""

from __future__ import annotations

from importlib import resources

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

_BADGES_AT = "/* relation badges: inserted here from RELATION_COLOR and MOVED_COLOR (render/html_style.py) */\n"


def package_css(name: str) -> str:
    """A stylesheet of data/ (package data, so it can be edited as CSS), without its leading comment."""
    text = resources.files("policydiff").joinpath("data", name).read_text(encoding="utf-8")
    return text[text.index("*/\n") + 3 :] if text.startswith("/*") else text


def _stylesheet() -> str:
    head, tail = package_css("report.css").split(_BADGES_AT)
    badges = "".join(f".rel-{k}.badge, .badge.rel-{k} {{ background: {v}; }}\n" for k, v in RELATION_COLOR.items())
    moved = f"\n.badge.moved {{ background: #fff; color: {MOVED_COLOR}; border: 1px dashed {MOVED_COLOR}; line-height: 18px; margin-left: 4px; }}\n"
    return head + badges + moved + tail


CSS = _stylesheet()  # data/report.css

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
