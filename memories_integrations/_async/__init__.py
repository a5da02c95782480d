"""The async client's methods, one module per API area (composed in ``_async_client.py``)."""
