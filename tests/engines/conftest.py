from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[ModuleType]:
    """A real local Ray with 2 CPUs for the whole session, usage statistics off."""
    from cleaner.engines.ray import import_ray, ray_session

    try:
        import_ray()
    except ImportError:
        pytest.skip("Ray is not installed (pip install 'cleaner[ray]'); CI installs it")
    with ray_session(num_cpus=2) as ray:
        yield ray
