"""Engines: adapters that run the batch runner somewhere other than this process.

    ray.py   `cleaner ray` (one Ray task per input file or shard of a folder, resumable)
             and `CleanBatch`, a callable for Ray Data's `map_batches`

An adapter only translates: reading is `cleaner.read`, cleaning is `cleaner.batch`, records
are `cleaner.record`. Importing this package imports no engine; each adapter imports its
engine when it is used, so `import cleaner` works without any of them installed.
"""
