"""Adapters for data-pipeline frameworks; each needs its own extra and imports it lazily.

`cleaner.integrations.datatrove` (extra `datatrove`): a datatrove extractor step.
`cleaner.hf` (extra `hf`): a `Dataset.map` function for Hugging Face `datasets`.
"""
