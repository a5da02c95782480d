"""Multimodal RAG: a search tool call whose ToolMessage holds the cited moments as text plus
the keyframe images of the best two, ready for a vision-capable chat model.

Run: python examples/multimodal_rag.py   (offline unless MEMORIES_API_KEY is set)
"""

from __future__ import annotations

import tempfile

from memories_integrations.keyframes import KeyframeCache
from memories_integrations.langchain import MemoriesSearchTool
from memories_integrations.testing import live_or_emulator


def main() -> None:
    with live_or_emulator() as connection, tempfile.TemporaryDirectory() as frames:
        # A cache folder of our own (the default is a per-user cache directory).
        tool = MemoriesSearchTool(keyframe_cache=KeyframeCache(frames), **connection)
        call = {
            "type": "tool_call",
            "id": "call-1",
            "name": tool.name,
            "args": {"query": "someone chops onions", "top_k": 3, "include_keyframes": 2},
        }
        message = tool.invoke(call)  # a ToolMessage: pass it back to the model as is
        for block in message.content:
            if block["type"] == "text":
                print(block["text"])
            else:
                print(
                    f"<{block['type']} {block['mime_type']}, {len(block['base64'])} base64 chars>"
                )
        print("\nDocuments (artifact):")
        for doc in message.artifact:
            print(f"  {doc.metadata['source']}  keyframe: {doc.metadata.get('keyframe_path')}")


if __name__ == "__main__":
    main()
