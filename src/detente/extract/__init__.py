"""Extract stage: cleaned documents -> people, quotes (and later positions, agreements, events).

The public entry point is :class:`detente.extract.pipeline.Extractor`.
"""
