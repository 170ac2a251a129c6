"""One write-audit-publish build shared by the issue-4 test modules (dbt build takes ~30 s).

The documents are the five seeds plus two variants of seed 003 under other bureau names (so they touch
no seed's bureau-year): 岳麓区 with the 0.01 inconsistency of 693.22 corrected to 693.23 (its figures
agree), and 雨花区, the same text with one number changed (年初预算 项目支出 181.88 → 181.98).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED_003 = RAW / "003_25d83f0624c6e4b5.txt"


def agreeing_variant(text: str) -> str:
    """Seed 003 as 岳麓区, with its total restated as the sum of its parts (693.23)."""
    return text.replace("天心区", "岳麓区").replace("693.22", "693.23")


def changed_variant(text: str) -> str:
    """The agreeing variant as 雨花区, with one number changed: 年初 项目支出 181.88 → 181.98."""
    assert text.count("181.88") == 1
    return agreeing_variant(text).replace("岳麓区", "雨花区").replace("181.88", "181.98")


@functools.lru_cache(maxsize=1)
def built_warehouse() -> tuple[Path, int, tuple[str, ...]]:
    """Build once: (published warehouse path, exit status, echoed lines)."""
    from yibao.publish import publish_build

    work = Path(tempfile.mkdtemp(prefix="yibao_issue4_"))
    atexit.register(shutil.rmtree, work, True)
    docs = work / "docs"
    docs.mkdir()
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, docs / path.name)
    text = SEED_003.read_text(encoding="utf-8")
    (docs / "900_variant_agreeing.txt").write_text(agreeing_variant(text), encoding="utf-8")
    (docs / "901_variant_changed.txt").write_text(changed_variant(text), encoding="utf-8")
    lines: list[str] = []
    db_path = work / "data" / "warehouse.duckdb"
    status = publish_build([docs], db_path, echo=lines.append, interim=work / "interim")
    return db_path, status, tuple(lines)
