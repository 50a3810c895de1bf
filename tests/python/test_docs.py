"""The documentation's references hold: the contract files it cites are in the repository
(`docs/contract/`), every relative link reaches a file (and a heading, for `#anchor`), and the
README cites the revision of the Capital contract that the copy states.

Reads files only: no build, no warehouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "contract"


def documents() -> list[Path]:
    """README.md, DECISIONLOG.md and every markdown file under docs/."""
    return [ROOT / "README.md", ROOT / "DECISIONLOG.md", *sorted((ROOT / "docs").rglob("*.md"))]


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def prose(text: str) -> str:
    """The text without fenced code blocks, and with brackets and parentheses inside code
    spans blanked out (so that code is never read as a link, while a link whose text is code
    still is)."""
    text = FENCE.sub("", text)
    return CODE_SPAN.sub(lambda m: m.group(0).translate(str.maketrans("[]()", "    ")), text)


# An inline link or image: [text](target "title"); the text may wrap onto the next lines.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def links(path: Path) -> list[str]:
    return [m.group(1) for m in LINK.finditer(prose(path.read_text(encoding="utf-8")))]


HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its rendered text, lower case, without punctuation
    other than hyphens and underscores, spaces made hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links and images: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)  # _emphasis_, not snake_case
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a markdown file, duplicates numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    result = set()
    for m in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(m.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def test_slug_follows_github():
    assert slug("Sigma's SQL") == "sigmas-sql"
    assert slug("What happens when…") == "what-happens-when"
    assert slug("`daily_loan_size` builds its own day series") == "daily_loan_size-builds-its-own-day-series"
    assert slug("Revision 4: the provider's real objects") == "revision-4-the-providers-real-objects"
    assert slug("Engines (DuckDB and Spark)") == "engines-duckdb-and-spark"


CITED_CONTRACT = re.compile(r"(?<![\w./-])(?:\.\./)*(?:docs/)?contract/([\w.-]+\.md)")


def test_cited_contract_files_are_in_the_repository():
    cited = {}
    for path in documents():
        for m in CITED_CONTRACT.finditer(path.read_text(encoding="utf-8")):
            cited.setdefault(m.group(1), set()).add(name(path))
    assert cited, "no document cites a contract file"
    missing = {
        f"docs/contract/{file}": sorted(by) for file, by in cited.items() if not (CONTRACT / file).is_file()
    }
    assert not missing, f"cited contract files missing from docs/contract/: {missing}"


@pytest.mark.parametrize("path", documents(), ids=name)
def test_relative_links_resolve(path: Path):
    broken = []
    for target in links(path):
        if SCHEME.match(target):
            continue  # an address on the web
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor:
            if linked.suffix != ".md":
                broken.append(f"{target}: an anchor in a file that is not markdown")
            elif anchor not in anchors(linked):
                broken.append(f"{target}: no heading with that anchor in {name(linked)}")
    assert not broken, f"{name(path)}: " + "; ".join(broken)


def contract_revision() -> int:
    """The revision that docs/contract/capital.md states at its top."""
    top = (CONTRACT / "capital.md").read_text(encoding="utf-8")[:3000]
    m = re.search(r"\brevision (\d+)\b", top, re.I)
    assert m, "docs/contract/capital.md states no revision at its top"
    return int(m.group(1))


def test_readme_cites_the_contract_revision():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cited = [int(n) for n in re.findall(r"docs/contract/capital\.md\S*\s+\(revision (\d+)\)", readme)]
    assert cited, "the README cites no revision of docs/contract/capital.md"
    assert set(cited) == {contract_revision()}, (
        f"the README cites capital.md revision {sorted(set(cited))}, "
        f"docs/contract/capital.md states revision {contract_revision()}"
    )
