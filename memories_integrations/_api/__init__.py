"""Endpoint definitions: one module per API area, shared by every client."""
