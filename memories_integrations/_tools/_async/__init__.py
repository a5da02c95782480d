"""The tool operations with async ``run``s (the source of the generated ``_sync/``)."""
