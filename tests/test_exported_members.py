from __future__ import annotations

import pickle
import types

import cleaner
from cleaner.record import Block, Document, ErrorInfo, Reason, Removal, Status


def test_public_surface_is_what_we_meant() -> None:
    exported = {
        name
        for name in dir(cleaner)
        if not name.startswith("_")
        and not isinstance(getattr(cleaner, name), types.ModuleType)
        and name not in {"annotations", "TYPE_CHECKING", "Any"}
    }
    assert exported == set(cleaner.__all__)
    for name in cleaner.__all__:
        assert getattr(cleaner, name) is not None


def test_records_pickle_round_trip() -> None:
    doc = Document(
        id="a",
        source="a.html",
        status=Status.ERROR,
        blocks=(Block("x"),),
        removed=(Removal("Ad", Reason.AD, "ad.marker"),),
        error=ErrorInfo("decode", "binary", "decode"),
    )
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert doc.to_dict()["removed"] == [{"text": "Ad", "reason": "ad", "rule": "ad.marker"}]


def test_fetch_fields_sit_at_top_level_of_fetched_records() -> None:
    from cleaner.record import FetchInfo

    doc = Document(
        id="u",
        source="https://x.test/",
        status=Status.OK,
        fetch=FetchInfo("https://x.test/b", 200, attempts=1),
    )
    out = doc.to_dict()
    assert out["final_url"] == "https://x.test/b" and out["http_status"] == 200 and out["redirects"] == []
    assert "fetch" not in out and "fetch" not in Document(id="a", source="a", status=Status.OK).to_dict()
