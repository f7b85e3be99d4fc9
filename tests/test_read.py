from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from cleaner.errors import DecodeError, InputTooLarge, UnsupportedInput
from cleaner.read import InputKind, iter_jsonl, iter_paths, kind_of, read_bytes
from cleaner.read.jsonl import line_limit


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.html", InputKind.HTML),
        ("a.HTM", InputKind.HTML),
        ("a.xhtml.gz", InputKind.HTML),
        ("a.txt", InputKind.TEXT),
        ("notes.md.gz", InputKind.TEXT),
        ("a.pdf", None),
        ("a.gz", None),
        ("README", None),
    ],
)
def test_kind_of_looks_through_gz(name: str, kind: InputKind | None) -> None:
    assert kind_of(Path(name)) == kind


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for rel in ["b/z.html", "b/a.txt", "a.html", "c.xyz", ".hidden/x.html"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>x</p>")
    sources = list(iter_paths([tmp_path], max_bytes=1000))
    assert [s.id for s in sources] == ["a.html", "b/a.txt", "b/z.html", "c.xyz"]
    assert isinstance(sources[-1].problem, UnsupportedInput)
    assert all(s.problem is None for s in sources[:-1])


def test_gzip_is_read_transparently_and_capped(tmp_path: Path) -> None:
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(b"<p>hello</p>"))
    assert read_bytes(page, 100) == b"<p>hello</p>"
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 100_000))
    with pytest.raises(InputTooLarge):
        read_bytes(bomb, 1000)


def test_corrupt_gzip_is_a_decode_error(tmp_path: Path) -> None:
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(b"<p>hello</p>" * 100)[:30])
    with pytest.raises(DecodeError):
        read_bytes(page, 10_000)


def test_missing_path_becomes_an_error_source(tmp_path: Path) -> None:
    (source,) = iter_paths([tmp_path / "nope.html"], 100)
    assert source.problem is not None and "no such file" in str(source.problem)


def test_jsonl_lines_become_sources_with_their_ids() -> None:
    stream = io.StringIO(
        '{"id": "a", "url": "https://x.test/", "html": "<p>x</p>"}\n'
        "\n"
        '{"id": 7, "text": "plain"}\n'
        "not json\n"
        '{"id": "c"}\n'
        "[1, 2]\n"
    )
    sources = list(iter_jsonl(stream))
    assert [s.id for s in sources] == ["a", "7", "line-4", "c", "line-6"]
    assert sources[0].kind is InputKind.HTML and sources[0].url == "https://x.test/"
    assert sources[1].kind is InputKind.TEXT and sources[1].data == "plain"
    assert [s.problem is not None for s in sources] == [False, False, True, True, True]
    assert sources[2].origin == "stdin:4"


def test_a_jsonl_file_in_a_folder_is_a_stream_of_pages(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / "b.jsonl").write_text('{"id": "one", "text": "t"}\n\n{"html": "<p>y</p>"}\n')
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(b'{"id": "z", "text": "t"}\n'))
    sources = list(iter_paths([tmp_path], max_bytes=1000))
    assert [s.id for s in sources] == ["a.html", "one", "b.jsonl:line-3", "z"]
    assert sources[2].origin == "b.jsonl:3" and sources[2].kind is InputKind.HTML


def test_the_package_keeps_every_name_the_module_had() -> None:
    import cleaner.read

    for name in ("InputKind", "Source", "kind_of", "read_bytes", "read_file", "walk", "iter_paths"):
        assert name in cleaner.read.__all__
    for name in ("parse_json_line", "iter_jsonl", "is_jsonl", "iter_jsonl_file"):
        assert name in cleaner.read.__all__


def test_a_jsonl_line_nested_too_deep_is_one_error_and_the_stream_goes_on() -> None:
    deep = '{"id": "a", "html": "<p>x</p>", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    stream = io.StringIO(deep + '\n{"id": "b", "text": "after"}\n')
    first, second = iter_jsonl(stream)
    assert first.id == "line-1" and isinstance(first.problem, UnsupportedInput)
    assert "nested too deep" in str(first.problem)
    assert second.id == "b" and second.data == "after"


@pytest.mark.parametrize("value", ["null", "true", "[1, 2]", '{"a": 1}', '""', "1.5"])
def test_a_jsonl_id_that_is_no_string_or_integer_gives_the_line_id(value: str) -> None:
    stream = io.StringIO('{"id": ' + value + ', "text": "t"}\n{"id": ' + value + ', "text": "u"}\n')
    assert [s.id for s in iter_jsonl(stream)] == ["line-1", "line-2"]


def test_a_jsonl_page_over_max_bytes_is_too_large_by_its_utf8_size() -> None:
    stream = io.StringIO(
        json.dumps({"id": "big", "html": "é" * 600})
        + "\n"
        + json.dumps({"id": "ok", "text": "é" * 400})
        + "\n"
    )
    big, fine = iter_jsonl(stream, max_bytes=1000)
    assert isinstance(big.problem, InputTooLarge) and big.data is None  # 1,200 bytes in UTF-8
    assert fine.problem is None and fine.data == "é" * 400


def test_a_jsonl_line_too_long_to_hold_a_page_is_skipped_without_reading_it_whole() -> None:
    limit = line_limit(100)
    long_line = '{"id": "x", "html": "' + "a" * (limit + 10) + '"}'
    stream = io.StringIO(long_line + '\n{"id": "next", "text": "t"}\n')
    first, second = iter_jsonl(stream, max_bytes=100)
    assert first.id == "line-1" and isinstance(first.problem, InputTooLarge)
    assert second.id == "next" and second.problem is None


def test_a_jsonl_bomb_of_one_endless_line_ends_the_stream_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b"0" * (3 * line_limit(1000)) + b'\n{"id": "never", "text": "t"}\n'))
    sources = list(iter_paths([path], max_bytes=1000))
    assert [s.id for s in sources] == [f"{path}:line-1", str(path)]
    assert all(isinstance(s.problem, InputTooLarge) for s in sources)
