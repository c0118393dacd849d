"""The metadata block of a government web page: 索引号, 发布机构, 发布日期, 来源, 公开方式…

Pages print it above or below the text, often several fields on one line. It names the document, so its
fields fill the metadata; it is never part of a clause.
"""

from __future__ import annotations

import re
from datetime import date

from policydiff.normalize import PAGE_FIELDS, PAGE_META_RE
from policydiff.schema import Metadata
from policydiff.structure.legal import DATE_RE, match_date

_FIELD_RE = re.compile(rf"(?P<key>{PAGE_FIELDS})\s*[:：]\s*(?P<value>.*?)(?=\s*(?:{PAGE_FIELDS})\s*[:：]|$)")
_ISO_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")


def is_page_meta(text: str) -> bool:
    return bool(PAGE_META_RE.match(text))


def read_page_meta(text: str, meta: Metadata) -> None:
    for m in _FIELD_RE.finditer(text):
        key, value = m.group("key"), m.group("value").strip()
        if not value:
            continue
        if key == "索引号":
            meta.index_number = meta.index_number or value
        elif key in ("来源", "信息来源", "文章来源"):
            meta.source_site = meta.source_site or value
        elif key in ("发布日期", "发布时间", "公开日期"):
            meta.publish_date = meta.publish_date or _page_date(value)
        elif key == "成文日期":
            meta.issue_date = meta.issue_date or _page_date(value)
        elif key in ("发布机构", "发文机关"):
            meta.authority = meta.authority or value


def _page_date(value: str) -> date | None:
    m = DATE_RE.search(value)
    if m:
        return match_date(m)
    m = _ISO_DATE_RE.search(value)
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    return None
