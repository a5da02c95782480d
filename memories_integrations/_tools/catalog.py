"""The tools every adapter offers: names, descriptions for the model, and which ones write.

One table, so LangChain, LlamaIndex (and an MCP server) show a model the same tool names and
the same descriptions; the argument models are in ``arguments.ARGUMENT_MODELS``.
"""

from __future__ import annotations

__all__ = ["DESCRIPTIONS", "DESTRUCTIVE", "NEEDS_APPROVAL", "READ_ONLY", "SPENDING", "WRITE"]

DESCRIPTIONS: dict[str, str] = {
    "memories_search": (
        "Search the user's private memories.ai video library for moments matching a "
        "description. Returns numbered moments as 'video_no (name) @ start-end, score: text'. "
        "Only fully encoded videos (status PARSE) are searchable. Cite the video_no and time "
        "range of every moment you use; if nothing is found, say so instead of guessing. "
        "Use the returned video_no values with the transcript, summary and chat tools."
    ),
    "memories_video_status": (
        "Get the encoding status and metadata of one video by video_no. Status PARSE means "
        "ready to search and chat; UNPARSE means still encoding (check again later); "
        "PARSE_ERROR means it failed."
    ),
    "memories_list_videos": (
        "List the videos in the user's memories.ai library, one per line: video_no, name, "
        "status, duration. Use it to find video numbers for the other tools."
    ),
    "memories_get_transcript": (
        "Get the timestamped transcript of one encoded video: speech (audio), scene "
        "descriptions (visual) or both. Each line is '[start-end] text'; cite these times. "
        "Long videos: read a time range (start, end) and continue at the next_start it gives."
    ),
    "memories_summarize_video": (
        "Summarize one encoded video as timestamped chapters (CHAPTER) or topics (TOPIC). "
        "Good for an overview before asking detailed questions."
    ),
    "memories_chat_with_videos": (
        "Ask memories.ai's video model a question about specific encoded videos. Returns its "
        "answer, the moments it cited (video_no @ start-end) and a session_id for follow-ups. "
        "Quote the cited moments when you answer; times marked [unverified: ...] match no "
        "cited moment, so do not repeat them as facts."
    ),
    "memories_list_namespaces": (
        "List the namespaces (unique_id values) of the memories.ai account that hold videos; "
        "the one these tools use is marked. Use it when a video cannot be found: it may have "
        "been uploaded under another namespace."
    ),
    "memories_upload_video": (
        "Upload a video to the user's memories.ai library from a local file_path or a url. "
        "Returns the new video_no (use it with the other tools; it is not a task id). "
        "A video is searchable only after encoding finishes (status PARSE): pass wait=true to "
        "wait for that, or check memories_video_status later."
    ),
    "memories_delete_videos": (
        "Permanently delete videos from the user's memories.ai library. Destructive and "
        "irreversible: only use it when the user explicitly asked to delete these videos."
    ),
}

READ_ONLY = (
    "memories_search",
    "memories_video_status",
    "memories_list_videos",
    "memories_get_transcript",
    "memories_summarize_video",
    "memories_chat_with_videos",
    "memories_list_namespaces",
)
WRITE = ("memories_upload_video",)
DESTRUCTIVE = ("memories_delete_videos",)
#: Tools that cost credits each call (encoding an upload, a chat answer).
SPENDING = ("memories_upload_video", "memories_chat_with_videos")
#: The human-approval preset: destructive and spending tools.
NEEDS_APPROVAL = (*DESTRUCTIVE, *SPENDING)
