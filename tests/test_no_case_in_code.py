"""Nothing outside the case packs names a country or a power id (issue 17): the model and the
experiments take every case from its scenario file, its data rows and its pack
(``experiments/cases/<name>/``). Scenario files, data files and prose (ODD, Markdown) may name
them; code, comments and docstrings may not, so a second case is never a patch to the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Power ids of the data (great powers and composites) and the 21 secondaries, and names of countries.
IDS = ("RUS CHN USA JPN IND EUU WEST KAZ UZB KGZ TJK TKM MNG GEO UKR BLR ARM AZE MDA VNM MYS SGP IDN PHL THA KHM "
       "LAO MMR").split()
NAMES = ("Kazakh Russia Russian China Chinese America Japan India Europe Mongolia Georgia Ukrain Belarus Armenia "
         "Azerbaijan Moldova Uzbek Kyrgyz Tajik Turkmen Vietnam Malaysia Singapore Indonesia Philippin Thailand "
         "Cambodia Laos Myanmar Central Asia Soviet CSTO Eurasian").split()
# Ids match as written (upper case: "west" in "north/east/west" is a direction); names in any case.
PATTERN = re.compile(r"\b(" + "|".join(IDS) + r"|West)\b|(?i:" + "|".join(NAMES) + ")")
# The one name of a case the code holds: the default scenario (DESIGN.md: the source article's case).
ALLOWED = {("model/scenarios.py", 'DEFAULT_SCENARIO = "kazakhstan"')}


def _code_files():
    for folder in ("model", "experiments"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            parts = rel.split("/")
            if parts[:2] == ["experiments", "cases"] and len(parts) > 3:
                continue  # a case pack: experiments/cases/<name>/...
            yield rel, path


def hits() -> list[str]:
    found = []
    for rel, path in _code_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PATTERN.search(line) and not any(rel == f and text in line for f, text in ALLOWED):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_no_module_outside_the_packs_names_a_country_or_a_power_id():
    found = hits()
    assert not found, "\n".join(found)


def test_the_search_can_fail():
    assert PATTERN.search('missing = [p for p in ("RUS", "CHN", "WEST")]')
    assert PATTERN.search("# Kazakhstan's trade") and PATTERN.search("secondary = 'KAZ'")
    assert not PATTERN.search("powers.<id>.reach; rivalry.pairs.A-B; GEOMETRY; industry")
