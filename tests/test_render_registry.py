"""Each command's `--format` choices are exactly the formats its renderer registry has."""

from __future__ import annotations

from enum import Enum

import pytest

from policydiff.render import formats
from policydiff.render.compare import FILE_ONLY, MULTI_RENDERERS, NO_DIRECTION, PAIR_RENDERERS, SHOWS_WORD_DIFF
from policydiff.render.findings import FINDING_RENDERERS
from policydiff.render.lineage import LINEAGE_RENDERERS
from policydiff.render.target_list import TARGET_RENDERERS


def values(choices: type[Enum]) -> list[str]:
    return [c.value for c in choices]


@pytest.mark.parametrize(
    ("choices", "registry"),
    [
        (formats.CompareFormat, PAIR_RENDERERS),
        (formats.TargetsFormat, TARGET_RENDERERS),
        (formats.CheckFormat, FINDING_RENDERERS),
        (formats.LineageFormat, LINEAGE_RENDERERS),
    ],
)
def test_choices_are_the_registry(choices: type[Enum], registry: dict[str, object]) -> None:
    assert values(choices) == list(registry)


def test_compare_format_sets_name_known_formats() -> None:
    assert set(MULTI_RENDERERS) == set(PAIR_RENDERERS) - {"docx", "xlsx"}  # the 新旧对照表 is of two documents
    assert set(PAIR_RENDERERS) >= FILE_ONLY | SHOWS_WORD_DIFF | NO_DIRECTION


def test_export_choices_are_what_the_writer_takes() -> None:
    from policydiff.render.export import FORMATS, TABLES

    assert values(formats.ExportFormat) == list(FORMATS)
    assert values(formats.ExportTable) == list(TABLES)


def test_schema_choices_are_the_models() -> None:
    from policydiff.api import SCHEMA_MODELS

    assert values(formats.SchemaModel) == list(SCHEMA_MODELS)
