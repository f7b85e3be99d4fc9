from __future__ import annotations

import pickle
import types

import cleaner
from cleaner.record import Block, Document, ErrorInfo, Reason, Removal, Status


def test_public_surface_is_what_we_meant() -> None:
    exported = {
        name
        for name, value in vars(cleaner).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
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
