"""The sync client's methods, one module per API area (composed in ``_client.py``)."""
