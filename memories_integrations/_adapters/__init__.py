"""The framework-neutral core of the LangChain and LlamaIndex adapters (and any other front
end): client resolution per event loop, tool argument models with agent-input coercion, the
error-to-hint table, text formatting and truncation, upload guards and bulk loading.

Nothing here imports LangChain or LlamaIndex; each adapter only wraps these in its framework's
classes, so both behave the same.
"""
