from __future__ import annotations

import types

import cleaner.fetch


def test_fetch_public_surface_is_what_we_meant() -> None:
    exported = {
        name
        for name, value in vars(cleaner.fetch).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert exported - {"AsyncIterator", "Iterable", "Cleaner", "Document", "httpx", "asyncio"} == set(
        cleaner.fetch.__all__
    )
