"""The published data: the JSON bundle (checked against its own schema), the CSV of facts
(read back with the csv module), the schemas, and the same bytes on every build."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from generator import exports
from generator.graph import Graph, build_graph
from generator.model import KINDS
from generator.schema import json_schema
from generator.validate import validate_dir

from .conftest import ROOT

SITE = exports.Site(
    roots={"fa": "https://example.org/fs/fa/", "en": "https://example.org/fs/en/"},
    name="Test site",
    licence="CC BY 4.0",
)

#: Records added to the shipped content: coordinates, Wikidata ids, an archived source,
#: hostile names, a formula-like fact text, plans with and without outcomes, a draft.
EXTRA = {
    "places/test-hostile-place.yaml": """kind: city
name:
  fa: "شهر آزمایشی"
  en: "</script><script>alert(1)</script> Town"
country: IQ
geo:
  lat: 33.79
  lon: 42.44
  precision: approximate
  source: "https://example.org/geo"
identifiers:
  wikidata: "Q1234"
""",
    "parties/test-hostile-person.yaml": """type: person
name:
  en: "</script><script>alert(1)</script> O'Neil & Co"
wikidata: "Q42"
website: "https://example.org/person?a=1&b=2"
""",
    "sources/test-article.yaml": """kind: news_article
title:
  fa: "مقالهٔ آزمایشی"
  en: "Test article </script><!--"
headline: "They will visit"
headline_translation:
  fa: "دیدار خواهند کرد"
publisher: abna
language: en
published: "2026-02-03"
url: "https://example.org/news?id=1&x=2"
archive_url: "https://archive.example.org/2026/news"
""",
    "sheets/test-sheet.yaml": """kind: event
status: published
title:
  fa: "پروندهٔ آزمایشی"
  en: "Test sheet </script><script>alert(1)</script>"
summary:
  fa: "خلاصهٔ آزمایشی"
  en: "A test summary"
main_fact: visit
tags:
  - test-tag
facts:
  - id: visit
    kind: event
    status: planned
    text:
      fa: "=HYPERLINK(\\"http://evil.example\\") دیدار"
      en: "=HYPERLINK(\\"http://evil.example\\") visit"
    date_jalali: "1404-11"
    place: test-hostile-place
    parties:
      - party: test-hostile-person
        role: actor
      - party: iraq
        role: counterpart
    said_by: test-hostile-person
    cite:
      - source: test-article
        quote: "They will visit"
        translation:
          fa: "دیدار خواهند کرد"
        not_verbatim: true
        locator: "second paragraph, shortened"
  - id: outcome
    kind: event
    status: happened
    text:
      fa: "دیدار انجام شد"
      en: "The visit took place"
    date: "2026-02-03"
    updates: test-sheet#visit
    cite:
      - source: test-article
        quote: "The visit took place"
        translation:
          fa: "دیدار انجام شد"
  - id: later-plan
    kind: event
    status: planned
    text:
      fa: "برنامهٔ بعدی"
      en: "A later plan"
    date: "2026-03"
    cite:
      - source: test-article
        quote: "A later plan"
        translation:
          fa: "برنامهٔ بعدی"
  - id: open-plan
    kind: event
    status: planned
    text:
      fa: "برنامهٔ باز"
      en: "An open plan"
    date: "[2026-03..]"
    cite:
      - source: test-article
        quote: "An open plan"
        translation:
          fa: "برنامهٔ باز"
""",
    "sheets/test-draft.yaml": """kind: topic
status: draft
title:
  fa: "پیش‌نویس"
  en: "A draft"
summary:
  fa: "پیش‌نویس"
  en: "A draft"
facts:
  - id: note
    kind: statement
    text:
      fa: "یادداشت"
      en: "A note"
    cite:
      - source: test-article
""",
}


def extra_content(repo: Path) -> Path:
    """The shipped content plus EXTRA, in ``repo/content``; returns the content folder."""
    content = repo / "content"
    shutil.copytree(ROOT / "content", content)
    for path, text in EXTRA.items():
        (content / path).write_text(text, encoding="utf-8")
    return content


def graph_of(content_dir: Path) -> Graph:
    content, problems = validate_dir(content_dir, content_dir.parent)
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return build_graph(content)


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return graph_of(ROOT / "content")


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return graph_of(extra_content(tmp_path_factory.mktemp("extra")))


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# -- the JSON bundle ------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "extra"])
def test_bundle_is_valid_against_its_schema(which: str, request: pytest.FixtureRequest) -> None:
    graph = request.getfixturevalue(which)
    schema = exports.bundle_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(exports.bundle(graph, SITE))
    jsonschema.Draft202012Validator(schema).validate(data)
    # And each record's data against the very schema editors use for that kind.
    for record in data["records"]:
        jsonschema.Draft202012Validator(json_schema(record["kind"])).validate(record["data"])


def test_bundle_counts_match_the_content(extra: Graph) -> None:
    data = json.loads(exports.bundle(extra, SITE))
    content = extra.content
    assert [r["id"] for r in data["records"]] == list(content.records)
    for kind in KINDS:
        assert data["counts"][kind] == len(content.of_kind(kind))
        assert sum(r["kind"] == kind for r in data["records"]) == len(content.of_kind(kind))
    facts = [f for r in data["records"] if r["kind"] == "sheet" for f in r["facts"]]
    assert data["counts"]["fact"] == len(facts) == sum(1 for _ in content.facts())
    assert data["licence"] == "CC BY 4.0"
    assert data["languages"] == ["fa", "en"]


def test_bundle_records_carry_both_languages_and_urls(extra: Graph) -> None:
    records = {r["id"]: r for r in json.loads(exports.bundle(extra, SITE))["records"]}
    sheet = records["ain-al-asad-handover"]
    assert sheet["file"] == "content/sheets/ain-al-asad-handover.yaml"
    assert sheet["urls"] == {
        "fa": "https://example.org/fs/fa/sheets/ain-al-asad-handover/",
        "en": "https://example.org/fs/en/sheets/ain-al-asad-handover/",
    }
    assert set(sheet["data"]["title"]) == {"fa", "en"}
    assert sheet["name"] == sheet["data"]["title"]
    first = sheet["facts"][0]
    assert first["urls"]["en"].endswith("/en/sheets/ain-al-asad-handover/#ain-al-asad-takeover")
    person = records["test-hostile-person"]
    assert person["data"]["name"] == {"en": "</script><script>alert(1)</script> O'Neil & Co"}


def test_bundle_resolves_every_reference(extra: Graph) -> None:
    records = {r["id"]: r for r in json.loads(exports.bundle(extra, SITE))["records"]}
    refs = {ref["field"]: ref for ref in records["test-sheet"]["references"]}
    assert refs["facts[0].place"] == {
        "field": "facts[0].place",
        "id": "test-hostile-place",
        "kind": "place",
        "urls": {
            "fa": "https://example.org/fs/fa/places/test-hostile-place/",
            "en": "https://example.org/fs/en/places/test-hostile-place/",
        },
    }
    assert refs["facts[0].parties[0].party"]["kind"] == "party"
    assert refs["facts[1].updates"]["kind"] == "fact"
    assert refs["facts[1].updates"]["urls"]["fa"].endswith("/fa/sheets/test-sheet/#visit")
    assert refs["facts[0].cite[0].source"]["id"] == "test-article"
    # Every ref in every record resolves to a record of the bundle.
    for record in records.values():
        for ref in record["references"]:
            target = ref["id"].partition("#")[0]
            assert target in records, (record["id"], ref)
    # The visit's outcome is listed with it.
    facts = {f["id"]: f for f in records["test-sheet"]["facts"]}
    assert facts["visit"]["updated_by"] == ["test-sheet#outcome"]


def test_bundle_spells_out_dates_at_their_precision(extra: Graph) -> None:
    records = {r["id"]: r for r in json.loads(exports.bundle(extra, SITE))["records"]}
    dates = {d["field"]: d for d in records["ain-al-asad-handover"]["dates"]}
    assert dates["facts[0].date"] == {
        "field": "facts[0].date",
        "edtf": "2026-01~",
        "calendar": "gregorian",
        "form": "point",
        "start": "2026-01-01",
        "end": "2026-01-31",
        "precision": "month",
        "qualifier": "approximate",
    }
    erbil = next(d for d in dates.values() if d["edtf"] == "[..2026-09]")
    assert (erbil["form"], erbil["start"], erbil["end"]) == ("before", None, "2026-09-30")
    jalali = {d["field"]: d for d in records["test-sheet"]["dates"]}["facts[0].date_jalali"]
    # Bahman 1404, a Solar Hijri month, as the Gregorian days it covers.
    assert (jalali["calendar"], jalali["start"], jalali["end"], jalali["precision"]) == (
        "jalali",
        "2026-01-21",
        "2026-02-19",
        "month",
    )


def test_bundle_is_deterministic(tmp_path: Path) -> None:
    first = exports.data_files(graph_of(extra_content(tmp_path / "a")), SITE)
    second = exports.data_files(graph_of(extra_content(tmp_path / "b")), SITE)
    assert first == second
    text = first[exports.BUNDLE_PATH]
    assert text.endswith(b"\n") and b"\r" not in text
    assert text.decode("utf-8")  # strict UTF-8


# -- the CSV of facts -----------------------------------------------------------------


def test_csv_has_one_row_per_fact(extra: Graph) -> None:
    data = exports.facts_csv(extra, SITE)
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader)
    assert tuple(header) == exports.CSV_COLUMNS
    rows = _rows(data)
    assert len(rows) == sum(1 for _ in extra.content.facts())
    assert {(r["sheet"], r["fact"]) for r in rows} == {
        (s.id, f.id) for s, f in extra.content.facts()
    }
    # RFC 4180 line ends, and every row as wide as the header.
    assert data.count(b"\r\n") >= len(rows) + 1
    assert all(None not in row and len(row) == len(header) for row in rows)


def test_csv_columns_carry_dates_roles_and_places(extra: Graph) -> None:
    rows = {(r["sheet"], r["fact"]): r for r in _rows(exports.facts_csv(extra, SITE))}
    isis = rows[("ain-al-asad-handover", "isis-defeated")]
    assert (isis["date"], isis["date_form"], isis["date_start"], isis["date_end"]) == (
        "2014/2017",
        "interval",
        "2014-01-01",
        "2017-12-31",
    )
    assert (isis["date_precision"], isis["date_qualifier"]) == ("year", "")
    assert (isis["actors"], isis["supporters"], isis["targets"]) == (
        "iraq",
        "us-led-coalition",
        "isis",
    )
    assert (isis["speaker"], isis["background"], isis["status"]) == (
        "hussein-allawi",
        "true",
        "happened",
    )
    takeover = rows[("ain-al-asad-handover", "ain-al-asad-takeover")]
    assert (takeover["date_precision"], takeover["date_qualifier"]) == ("month", "approximate")
    assert takeover["place"] == "ain-al-asad-air-base"
    assert takeover["place_lat"] == ""  # no coordinates in the record: none invented
    assert takeover["url_en"] == (
        "https://example.org/fs/en/sheets/ain-al-asad-handover/#ain-al-asad-takeover"
    )
    visit = rows[("test-sheet", "visit")]
    assert (visit["place_lat"], visit["place_lon"], visit["place_geo_precision"]) == (
        "33.79",
        "42.44",
        "approximate",
    )
    assert (visit["date"], visit["date_jalali"]) == ("", "1404-11")
    assert (visit["actors"], visit["counterparts"]) == ("test-hostile-person", "iraq")
    assert visit["sources"] == "test-article"
    assert rows[("test-sheet", "outcome")]["updates"] == "test-sheet#visit"
    erbil = rows[("ain-al-asad-handover", "erbil-mission-end")]
    assert (erbil["date_form"], erbil["date_start"], erbil["date_end"]) == (
        "before",
        "",
        "2026-09-30",
    )


def test_csv_text_cannot_run_as_a_formula(extra: Graph) -> None:
    rows = {(r["sheet"], r["fact"]): r for r in _rows(exports.facts_csv(extra, SITE))}
    visit = rows[("test-sheet", "visit")]
    assert visit["text_en"] == '\'=HYPERLINK("http://evil.example") visit'
    assert not any(
        value.startswith(("=", "+", "@")) for row in rows.values() for value in row.values()
    )
    # The JSON keeps the text as written.
    records = {r["id"]: r for r in json.loads(exports.bundle(extra, SITE))["records"]}
    text = records["test-sheet"]["data"]["facts"][0]["text"]["en"]
    assert text.startswith("=HYPERLINK")


# -- files and pages ------------------------------------------------------------------


def test_data_files_and_schema_copies(shipped: Graph) -> None:
    files = exports.data_files(shipped, SITE)
    assert list(files) == sorted(files)
    assert set(files) == {
        "data/factsheet.json",
        "data/facts.csv",
        "data/schemas/bundle.schema.json",
        *(f"data/schemas/{kind}.schema.json" for kind in KINDS),
    }
    for kind in KINDS:
        # The published copies are the committed editor schemas, byte for byte.
        committed = (ROOT / "schemas" / f"{kind}.schema.json").read_bytes()
        assert files[f"data/schemas/{kind}.schema.json"] == committed
    for path, data in files.items():
        if path.endswith(".json"):
            json.loads(data)


@pytest.mark.parametrize(
    ("path", "directory_urls", "expected"),
    [
        ("index.md", True, ""),
        ("sheets/x.md", True, "sheets/x/"),
        ("sheets/index.md", True, "sheets/"),
        ("data/index.md", True, "data/"),
        ("sheets/x.md", False, "sheets/x.html"),
        ("index.md", False, "index.html"),
    ],
)
def test_page_url(path: str, directory_urls: bool, expected: str) -> None:
    assert exports.page_url(path, directory_urls) == expected


@pytest.mark.site
def test_built_site_publishes_the_same_data_in_both_languages(built_site: Path) -> None:
    published = {}
    for lang in ("fa", "en"):
        data_dir = built_site / lang / "data"
        published[lang] = {
            p.relative_to(data_dir).as_posix(): p.read_bytes()
            for p in sorted(data_dir.rglob("*"))
            if p.is_file() and p.name != "index.html"
        }
    assert published["fa"] == published["en"]
    files = published["fa"]
    assert set(files) >= {"factsheet.json", "facts.csv", "schemas/bundle.schema.json"}
    bundle = json.loads(files["factsheet.json"])
    jsonschema.Draft202012Validator(json.loads(files["schemas/bundle.schema.json"])).validate(
        bundle
    )
    content, _ = validate_dir(ROOT / "content", ROOT)
    assert len(bundle["records"]) == len(content.records)
    assert len(_rows(files["facts.csv"])) == sum(1 for _ in content.facts())
    # Absolute page URLs from site_url, pointing at pages that exist.
    from generator.engine import site_base_path

    base = site_base_path(ROOT / "mkdocs.yml")
    for record in bundle["records"]:
        for url in record["urls"].values():
            path = url.split(base, 1)[1]
            assert (built_site / path / "index.html").is_file(), url


@pytest.mark.site
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_data_page_links_the_files_and_names_the_licence(built_site: Path, lang: str) -> None:
    from mkdocs.utils.yaml import yaml_load

    html = (built_site / lang / "data" / "index.html").read_text("utf-8")
    for href in ('href="factsheet.json"', 'href="facts.csv"', 'href="../feed.xml"'):
        assert href in html
    assert 'href="schemas/bundle.schema.json"' in html
    with (ROOT / "mkdocs.yml").open("rb") as f:
        raw = yaml_load(f)
    licence = raw["extra"]["factsheet"]["licence"]
    assert licence.split()[0] in html
    for column in exports.CSV_COLUMNS:
        assert f">{column}</code>" in html, column
