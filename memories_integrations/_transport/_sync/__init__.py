# Generated from _transport/_async/__init__.py by scripts/unasync.py: edit that file, not this one.
