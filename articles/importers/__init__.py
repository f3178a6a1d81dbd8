"""Importers: one parser per format (file → drafts, no database) and the one loader.

``base`` holds the drafts and errors every format shares; ``wire`` and
``jsonl`` parse; ``loader`` matches and batches drafts and writes them
through :mod:`articles.services`, with ``index`` (which stories exist),
``names`` (sections, authors, tags), ``relations`` ("Xem thêm") and
``checks`` (what a draft must be before anything is written).
"""
