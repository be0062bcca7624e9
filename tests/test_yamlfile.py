"""The one YAML reader (bot/yamlfile.py): every error names the file, the line and the key.

The impossible values (a 13th month, 30 February, a bare year where a list belongs) used to
escape as raw ValueError or TypeError tracebacks from deep inside PyYAML or a loader.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot import yamlfile
from bot.config import ConfigError, load_settings
from bot.corpus.errors import CorpusError
from bot.corpus.events import load_events
from bot.corpus.lexicon import load_lexicon
from bot.corpus.load import load_text
from bot.corpus.people import load_people
from bot.corpus.prompts import load_curated_prompts
from bot.yamlfile import YamlFileError, key_path, parse_yaml, read_yaml
from tests.corpus_helpers import REPO

PROMPT = ("prompts:\n"
          "  - id: first-one\n"
          "    question: Why?\n"
          "    source: life-of-leon-trotsky\n"
          "    evidence: a phrase\n"
          "    tags: [exile]\n"
          "    added: 2024-02-30\n")


def _error(loader: Callable[[Path], object], path: Path, content: str,
           expected: type[YamlFileError] = CorpusError) -> str:
    path.write_text(content, encoding="utf-8")
    with pytest.raises(expected) as error:
        loader(path)
    return str(error.value)


@pytest.mark.parametrize(("name", "loader", "content", "where", "expected"), [
    ("people.yaml", load_people,
     "people:\n  - name: Lenin\n  - name: Leon Trotsky\n    born: 1879-13-07\n",
     ":4: people[1].born: '1879-13-07'", "not a real date (month must be in 1..12)"),
    ("prompts.yaml", load_curated_prompts, PROMPT,
     ":7: prompts[0].added: '2024-02-30'", "not a real date (day is out of range for month)"),
    ("events.yaml", load_events,
     "events:\n  - name: Kronstadt rebellion\n    dates: 1921\n",
     ":3: events[0].dates: Kronstadt rebellion:", "expected a list of dates"),
    ("config.yaml", load_settings, "search:\n  max_results: 2024-13-01\n",
     ":2: search.max_results: '2024-13-01'", "not a real date (month must be in 1..12)"),
])
def test_an_impossible_value_names_file_line_and_key(tmp_path: Path, name: str, loader,
                                                     content: str, where: str,
                                                     expected: str) -> None:
    error_type = ConfigError if name == "config.yaml" else CorpusError
    message = _error(loader, tmp_path / name, content, error_type)
    assert message.startswith(f"{tmp_path / name}{where}")
    assert expected in message


def test_a_quoted_impossible_event_date_is_refused_too(tmp_path: Path) -> None:
    message = _error(load_events, tmp_path / "events.yaml",
                     "events:\n  - name: X\n    dates:\n"
                     "      - {date: '1921-13', source: s, evidence: e}\n")
    assert ":4: events[0].dates[0].date: X: '1921-13' is not a real date" in message


def test_a_syntax_error_names_the_line_and_column(tmp_path: Path) -> None:
    message = _error(load_people, tmp_path / "people.yaml",
                     "people:\n  - name: Lenin\n    aliases: [Ulyanov\n")
    assert message.startswith(f"{tmp_path / 'people.yaml'}:4: not valid YAML")
    assert "line 4, column 1" in message


def test_front_matter_lines_are_the_text_files_lines(tmp_path: Path) -> None:
    path = tmp_path / "essay.md"
    head = "---\ntitle: An essay\nauthor: Someone\n"
    for front, line, key in [("published: 2022-02-30\n", 4, "published: "),
                             ("published: last spring\n", 4, "published: "),
                             ("subtitle: [a, b]\n", 4, "subtitle: "),
                             ("kind: [unclosed\n", 5, "")]:
        message = _error(load_text, path, f"{head}{front}---\nThe text.\n")
        assert message.startswith(f"{path}:{line}: {key}"), message


@pytest.mark.parametrize(("loader", "content", "where"), [
    (load_people, "people:\n  - name: A\n    aliases: Bee\n", ":3: people[0].aliases:"),
    (load_people, "people:\n  - name: A\n    facts:\n      - says: x\n",
     ":4: people[0].facts[0]:"),
    (load_events, "events:\n  - name: A\n    people: B\n", ":3: events[0].people:"),
    (load_lexicon, "synonyms:\n  - [a, b]\n  - [c]\n", ":3: synonyms[1]:"),
    (load_lexicon, "synonyms: []\nimplied_by:\n  die: killed\n", ":3: implied_by.die:"),
    (load_curated_prompts, PROMPT.replace("    tags: [exile]\n    added: 2024-02-30\n",
                                          "    tags: 3\n"), ":6: prompts[0].tags:"),
])
def test_a_wrong_type_names_the_key_path_and_its_line(tmp_path: Path, loader, content: str,
                                                      where: str) -> None:
    path = tmp_path / "file.yaml"
    assert _error(loader, path, content).startswith(f"{path}{where}")


def test_config_problems_each_name_key_and_line(tmp_path: Path) -> None:
    message = _error(load_settings, tmp_path / "config.yaml",
                     "prompts:\n  grace_minutes: -1\n  gracee: 3\n", ConfigError)
    assert "prompts.grace_minutes (line 2)" in message and "prompts.gracee (line 3)" in message


def test_the_reader_api(tmp_path: Path) -> None:
    assert read_yaml(tmp_path / "absent.yaml") is None
    doc = parse_yaml("a:\n  - x\n  - b: 2024-02-03\n", "f.yaml", first_line=10)
    assert doc.data == {"a": ["x", {"b": datetime.date(2024, 2, 3)}]}
    assert doc.line(("a", 1, "b")) == 12
    assert doc.line(("a", 1, "missing")) == 12  # a missing key: its parent's line
    assert key_path(("people", 3, "born")) == "people[3].born"
    with pytest.raises(YamlFileError, match=r"^f\.yaml:11: a\[0\]: no$"):
        doc.fail(("a", 0), "no")
    if getattr(yaml, "CSafeLoader", None):  # libyaml's parser whenever PyYAML has it
        assert issubclass(yamlfile._loader_class(), yaml.CSafeLoader)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_bytes(b"people:\n  - name: Caf\xe9\n")
    with pytest.raises(CorpusError, match=r"people\.yaml:2: not UTF-8"):
        load_people(path)


def test_no_python_objects_from_a_file(tmp_path: Path) -> None:
    message = _error(load_people, tmp_path / "people.yaml",
                     "people: !!python/object/apply:os.system [echo hi]\n")
    assert ":1: people: cannot be read" in message


def test_without_libyaml_the_python_loader_reports_the_same(tmp_path: Path) -> None:
    """PyYAML built without libyaml has no CSafeLoader: the reader falls back to SafeLoader."""
    script = (
        "import yaml\n"
        "del yaml.CSafeLoader\n"
        "from bot import yamlfile\n"
        "assert yamlfile._loader_class().__mro__[1] is yaml.SafeLoader\n"
        "try:\n"
        "    yamlfile.parse_yaml('a:\\n  b: 2024-02-30\\n', 'f.yaml')\n"
        "except yamlfile.YamlFileError as exc:\n"
        "    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.stdout.startswith("f.yaml:2: a.b: '2024-02-30' is not a real date"), \
        result.stderr
