"""The inputs `scripts/fuzz.py` makes: real pages, mutated, each with what the CLI must give for it.

Every family is a function `(rng, corpus, stem) -> Case`: the file suffix, its bytes, and an
`Expect` that says which records the input must yield. A page file must yield exactly one
record with its own id; a JSONL file one per non-blank line, with the object's id or, for a
line the fuzzer broke, the `<file>:line-N` fallback; a web archive one per HTML response
record the fuzzer left whole (not an error) plus at least one record for what it damaged.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 20_000_000  # the CLI's default --max-bytes
_JSONL_PAGE = 20_000  # pages in JSONL lines and archives are cut to this, to keep runs short


@dataclass(frozen=True, slots=True)
class Expect:
    """The records an input must yield.

    `lines`: for a page or JSONL file, the ids each record may have, in order (exactly one
    record per entry). For a web archive: `must` holds the ids each record left whole may
    have, and each must come out `ok` or `empty` (or with any status if `any_status`); `damaged` how
    many HTML response records the fuzzer damaged (then at least one record other than those
    in `must`), and `at_most` the most records the archive may yield.
    """

    lines: tuple[frozenset[str], ...] = ()
    must: tuple[frozenset[str], ...] = ()
    damaged: int = 0
    at_most: int = 0
    any_status: bool = False
    archive: bool = False
    note: str = ""  # how the input was damaged, for the report


@dataclass(frozen=True, slots=True)
class Case:
    suffix: str
    data: bytes
    expect: Expect


def _page(stem: str, suffix: str, data: bytes) -> Case:
    """A page file: it must yield one record, with its file name as the id."""
    return Case(suffix, data, Expect(lines=(frozenset({stem + suffix}),)))


@dataclass(slots=True)
class Corpus:
    """The real pages mutations start from, read on first use."""

    html_paths: list[Path]
    text_paths: list[Path]
    _cache: dict[Path, bytes] = field(default_factory=dict)

    @classmethod
    def find(cls, shared: Path, samples: Path) -> Corpus:
        """The pages under `shared/benchmarks` (those that are there) and `samples`."""
        bench = shared / "benchmarks"
        html = (
            _files(bench / "zyte" / "html")
            + _files(bench / "multilingual" / "html")
            + _files(samples / "html")
        )
        text = _files(bench / "zyte-text") + _files(samples / "text")
        if not html or not text:
            raise SystemExit(f"no pages found under {bench} and {samples}")
        return cls(html, text)

    def _read(self, path: Path) -> bytes:
        if path not in self._cache:
            raw = path.read_bytes()
            self._cache[path] = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        return self._cache[path]

    def html(self, rng: random.Random) -> bytes:
        return self._read(rng.choice(self.html_paths))

    def text(self, rng: random.Random) -> bytes:
        return self._read(rng.choice(self.text_paths))

    def page(self, rng: random.Random) -> tuple[bytes, bool]:
        """A page's bytes and whether it is HTML."""
        return (self.html(rng), True) if rng.random() < 0.7 else (self.text(rng), False)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


Family = Callable[[random.Random, Corpus, str], Case]


# -- page files ---------------------------------------------------------------------------


def truncation(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    data, is_html = corpus.page(rng)
    cut = rng.choice([rng.randint(0, 64), rng.randint(0, len(data))])
    return _page(stem, ".html" if is_html else ".txt", data[:cut])


def byte_flips(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    data, is_html = corpus.page(rng)
    raw = bytearray(data)
    for _ in range(rng.choice([1, 5, 50, 1000])):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return _page(stem, ".html" if is_html else ".txt", bytes(raw))


_CODECS = ["utf-8", "cp1252", "cp1251", "iso-8859-2", "shift_jis", "gb18030", "euc-kr", "koi8-r", "utf-16"]


def lying_charset(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """The page re-encoded in one charset, with a `<meta charset>` (or XML declaration) that
    names another."""
    text = corpus.html(rng).decode("utf-8", errors="replace")
    real, said = rng.sample(_CODECS, 2)
    declaration = rng.choice(
        [f'<meta charset="{said}">', f'<meta http-equiv="Content-Type" content="text/html; charset={said}">']
    )
    body = text.replace("<head>", "<head>" + declaration, 1) if "<head>" in text else declaration + text
    if rng.random() < 0.2:
        body = f'<?xml version="1.0" encoding="{said}"?>' + body
    return _page(stem, ".html", body.encode(real, errors="replace"))


def nul_bytes(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    data, is_html = corpus.page(rng)
    raw = bytearray(data)
    for _ in range(rng.choice([1, 3, 30, len(raw) // 50 + 1, len(raw) // 5 + 1])):
        raw.insert(rng.randrange(len(raw) + 1), 0)
    return _page(stem, ".html" if is_html else ".txt", bytes(raw))


def invalid_utf16(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """UTF-16 with lone surrogates, an odd length, or a byte-order mark that lies."""
    data, is_html = corpus.page(rng)
    text = data.decode("utf-8", errors="replace")
    order = rng.choice(["utf-16-le", "utf-16-be"])
    variant = rng.randrange(4)
    if variant == 0:  # lone surrogates
        chars = list(text)
        for _ in range(rng.randint(1, 20)):
            chars.insert(rng.randrange(len(chars) + 1), chr(rng.randint(0xD800, 0xDFFF)))
        raw = "".join(chars).encode(order, errors="surrogatepass")
    elif variant == 1:  # odd length
        raw = text.encode(order)[: -rng.choice([1, 3])]
    elif variant == 2:  # the BOM says the other byte order
        bom = codecs.BOM_UTF16_BE if order == "utf-16-le" else codecs.BOM_UTF16_LE
        raw = bom + text.encode(order)
    else:  # a UTF-16 BOM on UTF-8 bytes, or a UTF-8 BOM on UTF-16 bytes
        raw = rng.choice([codecs.BOM_UTF16_LE + data, codecs.BOM_UTF8 + text.encode(order)])
    return _page(stem, ".html" if is_html else ".txt", raw)


def _insert(data: bytes, piece: bytes, rng: random.Random) -> bytes:
    at = data.find(b"<body")
    at = data.find(b">", at) + 1 if at >= 0 else rng.randint(0, len(data))
    return data[:at] + piece + data[at:]


def giant_attributes(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A tag with a huge attribute value, or with tens of thousands of attributes."""
    data = corpus.html(rng)
    variant = rng.randrange(3)
    if variant == 0:
        value = b"x" * rng.choice([100_000, 1_000_000, 5_000_000])
        piece = b'<div data-blob="' + value + b'">caption</div>'
    elif variant == 1:
        count = rng.choice([1_000, 20_000, 100_000, 200_000])
        piece = b"<div " + b" ".join(b'a%d="%d"' % (i, i) for i in range(count)) + b">caption</div>"
    else:
        tag = b"<span " + b" ".join(b'k%d="v"' % i for i in range(2_000)) + b">w</span>"
        piece = tag * rng.choice([10, 100])
    return _page(stem, ".html", _insert(data, piece, rng))


def giant_line(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A page on one line, or with one line of megabytes (words, or one word)."""
    data, is_html = corpus.page(rng)
    size = rng.choice([500_000, 1_000_000, 3_000_000])
    words = rng.random() < 0.5
    line = (b"lorem ipsum dolor sit amet " * (size // 27 + 1))[:size] if words else b"a" * size
    variant = rng.randrange(3)
    if variant == 0:
        raw = data.replace(b"\n", b" ").replace(b"\r", b" ")
    elif is_html:
        raw = _insert(data, b"<p>" + line + b"</p>", rng)
    else:
        raw = data + b"\n" + line
    return _page(stem, ".html" if is_html else ".txt", raw)


def deep_nesting(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    data = corpus.html(rng)
    depth = rng.choice([500, 3_000, 20_000, 50_000])
    tag = rng.choice([b"div", b"span", b"b", b"li", b"table", b"blockquote", b"a", b"section"])
    opening = b"<" + tag + b">"
    closing = b"</" + tag + b">" if rng.random() < 0.7 else b""
    piece = opening * depth + b"<p>Deep text inside.</p>" + closing * depth
    return _page(stem, ".html", _insert(data, piece, rng))


def broken_gzip(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A `.html.gz` / `.txt.gz`: cut, corrupt, bad checksum, trailing garbage, or whole."""
    data, is_html = corpus.page(rng)
    packed = bytearray(gzip.compress(data, mtime=0))
    variant = rng.randrange(5)
    if variant == 0:
        packed = packed[: rng.randint(0, len(packed) - 1)]
    elif variant == 1:
        for _ in range(rng.randint(1, 10)):
            packed[rng.randrange(10, len(packed))] ^= 1 << rng.randrange(8)
    elif variant == 2:
        packed[-8] ^= 0xFF  # CRC
    elif variant == 3:
        packed += rng.randbytes(rng.randint(1, 100))
    else:
        packed += gzip.compress(rng.randbytes(100), mtime=0)
    return _page(stem, ".html.gz" if is_html else ".txt.gz", bytes(packed))


_BOMB_CHUNK = 64 << 20


def _gzip_bomb(members: int) -> bytes:
    """Gzip members of 64 MB of zeros each: about 64 KB apiece on disk."""
    member = gzip.compress(bytes(_BOMB_CHUNK), compresslevel=9, mtime=0)
    return member * members


def decompression_bomb(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A page file that expands to gigabytes."""
    bomb = _bomb_cache(16)
    suffix = rng.choice([".html.gz", ".txt.gz"])
    return _page(stem, suffix, bomb)


_BOMBS: dict[int, bytes] = {}


def _bomb_cache(members: int) -> bytes:
    if members not in _BOMBS:
        _BOMBS[members] = _gzip_bomb(members)
    return _BOMBS[members]


# -- web archives -------------------------------------------------------------------------


@dataclass(slots=True)
class _Record:
    raw: bytes
    html: bool
    bomb: bool = False


def _response(
    rng: random.Random, body: bytes, content_type: str, status: int = 200, coding: str = ""
) -> bytes:
    http = b"HTTP/1.1 %d OK\r\nContent-Type: %s\r\n" % (status, content_type.encode())
    if coding:
        http += b"Content-Encoding: " + coding.encode() + b"\r\n"
    http += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return _warc("response", rng, http, "application/http; msgtype=response")


def _warc(kind: str, rng: random.Random, block: bytes, content_type: str) -> bytes:
    record_id = uuid.UUID(int=rng.getrandbits(128))
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: 2024-05-01T12:00:00Z\r\nWARC-Target-URI: https://example.org/{record_id.hex[:8]}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def _archive_records(rng: random.Random, corpus: Corpus) -> list[_Record]:
    records = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.3:
            request = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"
            records.append(
                _Record(_warc("request", rng, request, "application/http; msgtype=request"), False)
            )
        if rng.random() < 0.15:
            records.append(_Record(_response(rng, rng.randbytes(500), "image/png"), False))
        body = corpus.html(rng)[:_JSONL_PAGE]
        if rng.random() < 0.2:
            coding = rng.choice(["gzip", "deflate", "br"])
            records.append(_Record(_response(rng, _encode(body, coding), "text/html", coding=coding), True))
        else:
            records.append(_Record(_response(rng, body, "text/html; charset=utf-8"), True))
    return records


def _encode(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(body, mtime=0)
    if coding == "deflate":
        return zlib.compress(body)
    import brotli

    return bytes(brotli.compress(body))


def _bomb_record(rng: random.Random) -> _Record:
    coding = rng.choice(["gzip", "br"])
    if coding == "gzip":
        body = _bomb_cache(4)
    else:
        import brotli

        body = _BOMBS.setdefault(-1, bytes(brotli.compress(bytes(1 << 28), quality=5)))
    return _Record(_response(rng, body, "text/html", coding=coding), True, bomb=True)


def _assemble(records: list[_Record], gz: bool) -> tuple[bytearray, list[int], list[int]]:
    """The archive bytes, each record's start and end offset in the file."""
    out, starts, ends = bytearray(), [], []
    for record in records:
        starts.append(len(out))
        out += gzip.compress(record.raw, mtime=0) if gz else record.raw
        ends.append(len(out))
    return out, starts, ends


def warc_framing(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A `.warc` / `.warc.gz` of real pages with its framing damaged: a record cut, a wrong
    Content-Length, garbled headers, garbage between records, flipped bytes; or a bomb."""
    gz = rng.random() < 0.5
    records = _archive_records(rng, corpus)
    variant = rng.choice(["whole", "cut", "length", "headers", "garbage", "flips", "bomb"])
    k = rng.randrange(len(records))
    if variant == "bomb":
        records.insert(k, _bomb_record(rng))
    if variant in ("length", "headers"):
        records[k].raw = _damage_headers(rng, records[k].raw, variant)
    data, starts, ends = _assemble(records, gz)
    damaged = {k} if variant in ("cut", "length", "headers", "flips") else set()
    if variant == "length" or (variant == "headers" and not gz):
        damaged.add(k + 1)  # a record longer than it says, or whose headers do not end, runs into the next
    ids = [{s} for s in starts]
    if variant == "cut":
        data = data[: rng.randint(starts[k] + 1, ends[k] - 1)]
        ids = ids[: k + 1]  # the records after the cut are not in the file
    elif variant == "garbage":
        garbage = rng.choice([rng.randbytes(rng.randint(1, 300)), b"WARC/1.0\r\n", b"\r\n" * 3 + b"junk\n"])
        data[ends[k] : ends[k]] = garbage
        ids = [{s + len(garbage)} if i > k else {s} for i, s in enumerate(starts)]
        if k + 1 < len(ids):  # the record after the garbage may be said to start where the garbage does
            ids[k + 1].add(ends[k])
    elif variant == "flips":
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(starts[k], ends[k])] ^= 1 << rng.randrange(8)
    suffix = ".warc.gz" if gz else ".warc"
    # flipped bytes in a plain record can turn it into another valid record (an image, a 404)
    # that no check can tell from a real one: it need not be reported
    reported = set() if variant == "flips" and not gz else damaged
    expect = _archive_expect(stem + suffix, records, ids, damaged, reported, f"{variant} at record {k}")
    return Case(suffix, bytes(data), expect)


def _damage_headers(rng: random.Random, raw: bytes, variant: str) -> bytes:
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if variant == "length":
        length = int(head.rsplit(b"Content-Length: ", 1)[1])
        wrong = rng.choice([length - rng.randint(1, 200), length + rng.randint(1, 200), 10**12, -5])
        return head.rsplit(b"Content-Length: ", 1)[0] + b"Content-Length: %d" % wrong + sep + rest
    choice = rng.randrange(4)
    if choice == 0:
        head = rng.choice([b"WARC/9.9", b"WRAC/1.0", b"\x00\xff\xfe"]) + head[8:]
    elif choice == 1:
        return head + b"\r\n" + rest  # no blank line after the headers
    elif choice == 2:
        head = head.replace(b"WARC-Type: ", b"WARC-Type ", 1)
    else:
        lines = head.split(b"\r\n")
        lines.insert(rng.randint(1, len(lines)), rng.randbytes(rng.randint(1, 40)).replace(b"\r\n", b""))
        head = b"\r\n".join(lines)
    return head + sep + rest


def _archive_expect(
    name: str,
    records: list[_Record],
    offsets: list[set[int]],
    damaged: set[int],
    reported: set[int],
    note: str,
) -> Expect:
    """What an archive must yield: its HTML records but the `damaged` ones, with one of their
    `offsets` in the id (records past the end of `offsets` were cut off), and a record for
    the damage if a `reported` one was HTML."""
    html = [i for i, r in enumerate(records[: len(offsets)]) if r.html]
    must = tuple(frozenset(f"{name}#{o}" for o in offsets[i]) for i in html if i not in damaged)
    return Expect(
        must=must,
        damaged=sum(1 for i in html if i in reported),
        at_most=len(html) + len(damaged) + 1,
        any_status=any(r.bomb for r in records),
        archive=True,
        note=note,
    )


# -- JSONL --------------------------------------------------------------------------------


def _object(rng: random.Random, corpus: Corpus, id: str) -> dict[str, object]:
    data, is_html = corpus.page(rng)
    key = "html" if is_html else "text"
    return {"id": id, "url": f"https://example.org/{id}", key: data[:_JSONL_PAGE].decode("utf-8", "replace")}


_DEPTH = [1_000, 100_000, 2_000_000]


def _broken_line(rng: random.Random, obj: dict[str, object]) -> bytes:
    """One line the fuzzer damaged (never containing a line break)."""
    line = json.dumps(obj)
    variant = rng.randrange(7)
    if variant == 0:  # cut
        return line[: rng.randint(0, len(line) - 1)].encode()
    if variant == 1:  # nested too deep for a recursive parser
        depth = rng.choice(_DEPTH)
        return (line[:-1] + ', "meta": ' + "[" * depth + "]" * depth + "}").encode()
    if variant == 2:  # wrong types
        key = rng.choice(["id", "html", "text", "url"])
        wrong: list[object] = [None, 1.5, True, [1, 2], {"a": "b"}, ""] + ([5] if key != "id" else [])
        obj = {**obj, key: rng.choice(wrong)}
        return json.dumps(obj).encode()
    if variant == 3:  # a huge string
        size = rng.choice([100_000, 500_000, 1_000_000, MAX_BYTES + 10])
        obj = {**obj, "html": "<p>" + "word " * (size // 5) + "</p>"}
        return json.dumps(obj).encode()
    if variant == 4:  # not an object
        return rng.choice([b"[1, 2, 3]", b'"a string"', b"42", b"null", b"{", b"}{"])
    if variant == 5:  # bytes that are not UTF-8, or a lone surrogate escape
        raw = bytearray(line.encode())
        for _ in range(rng.randint(1, 20)):
            raw.insert(rng.randrange(len(raw) + 1), rng.choice([0x80, 0xFF, 0xC3, 0xED, 0x00]))
        return bytes(raw) if rng.random() < 0.5 else line.replace("</", "\\ud800</", 1).encode()
    return (line[:-1] + ', "extra": "' + "\\u0000" * rng.randint(1, 1000) + '"}').encode()


def jsonl_framing(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A `.jsonl` (or `.jsonl.gz`) of real pages, some lines broken."""
    lines, expect = [], []
    for number in range(1, rng.randint(1, 12) + 1):
        id = f"{stem}/{number}"
        if rng.random() < 0.1:
            lines.append(rng.choice([b"", b"   ", b"\t"]))
            continue
        obj = _object(rng, corpus, id)
        if rng.random() < 0.4:
            lines.append(_broken_line(rng, obj))
            expect.append(frozenset({id, f"{{name}}:line-{number}"}))
        else:
            lines.append(json.dumps(obj).encode())
            expect.append(frozenset({id}))
    if not expect:  # only blank lines: add one that is not
        lines.append(b"[]")
        expect.append(frozenset({f"{{name}}:line-{len(lines)}"}))
    data = b"\n".join(lines) + rng.choice([b"\n", b""])
    gz = rng.random() < 0.2
    return _jsonl(
        stem + (".jsonl.gz" if gz else ".jsonl"), gzip.compress(data, mtime=0) if gz else data, expect
    )


def _jsonl(name: str, data: bytes, expect: list[frozenset[str]], rest: bool = False) -> Case:
    """A JSONL file; `{name}` in the ids it must yield stands for its file name. `rest`: it
    may end with an error record for the rest of the file (id `name`)."""
    lines = tuple(frozenset(id.replace("{name}", name) for id in ids) for ids in expect)
    if rest:
        lines += (frozenset({name}),)
    return Case(name[name.index(".") :], data, Expect(lines=lines))


def jsonl_bomb(rng: random.Random, corpus: Corpus, stem: str) -> Case:
    """A `.jsonl.gz` whose one line expands to gigabytes of zeros."""
    bomb = _bomb_cache(16)
    return _jsonl(stem + ".jsonl.gz", bomb, [frozenset({"{name}:line-1"})], rest=True)


#: How many of every 36 inputs each family makes: the costly ones (megabytes to parse or
#: to decompress) less often than the cheap ones.
WEIGHTS: dict[Family, int] = {
    truncation: 3,
    byte_flips: 3,
    lying_charset: 3,
    nul_bytes: 3,
    invalid_utf16: 3,
    broken_gzip: 3,
    warc_framing: 6,
    jsonl_framing: 4,
    giant_attributes: 2,
    giant_line: 2,
    deep_nesting: 2,
    decompression_bomb: 1,
    jsonl_bomb: 1,
}
SCHEDULE: list[Family] = [family for family, n in WEIGHTS.items() for _ in range(n)]


def make(index: int, rng: random.Random, corpus: Corpus) -> tuple[str, Case]:
    """Input number `index`: its file name and case."""
    family = SCHEDULE[index * 7 % len(SCHEDULE)]  # 7 and 36 are coprime: families interleave
    stem = f"{index:05d}-{family.__name__}"
    case = family(rng, corpus, stem)
    return stem + case.suffix, case
