"""Page order: where the kept blocks and the removals of a record sat on the page.

A record keeps its blocks and its removals apart (`Document.blocks`, `Document.removed`);
`Document.order` interleaves them again, as the page had them, for views that show removed
text in place (`cleaner report`, `cleaner explain`). An entry `i >= 0` is `blocks[i]`, an entry
`-1 - j` is `removed[j]`.

The stages each know their own part: per-site rules remove elements before extraction (they
come first), the extraction's walk over the page says which extracted block each left-out unit
followed (`Extraction.anchors`), and the chrome stage splits the extracted blocks in order.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.record import Block


def page_order(
    extracted: Sequence[Block],
    kept: Sequence[Block],
    anchors: Sequence[int] = (),
    *,
    first: int = 0,
) -> tuple[int, ...]:
    """The order of a record whose `removed` is `first` removals made before extraction, then
    one per `anchors` (each after the extracted block it names), then the extracted blocks
    that are not among `kept` (a subsequence of `extracted`, the same objects)."""
    order = [-1 - j for j in range(first)]
    waiting = sorted(range(len(anchors)), key=anchors.__getitem__)  # stable: walk order
    chrome = first + len(anchors)
    k = p = 0
    for i, block in enumerate(extracted):
        while p < len(waiting) and anchors[waiting[p]] < i:
            order.append(-1 - first - waiting[p])
            p += 1
        if k < len(kept) and kept[k] is block:
            order.append(k)
            k += 1
        else:
            order.append(-1 - chrome)
            chrome += 1
    order.extend(-1 - first - j for j in waiting[p:])
    return tuple(order)
