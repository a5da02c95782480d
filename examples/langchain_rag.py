"""An LCEL RAG chain: MemoriesRetriever finds moments, the prompt cites them, an LLM answers.

A fake LLM keeps this offline; replace it with any chat model.
Run: python examples/langchain_rag.py   (offline unless MEMORIES_API_KEY is set)
"""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough

from memories_integrations.langchain import MemoriesRetriever
from memories_integrations.testing import live_or_emulator

PROMPT = ChatPromptTemplate.from_messages(
    [
        (
            "system",
            "Answer from these video moments only and cite them as (video_no @ time). "
            "If they do not answer the question, say so.\n\n{context}",
        ),
        ("user", "{question}"),
    ]
)


def format_moments(docs: list[Document]) -> str:
    return "\n".join(
        f"({d.metadata['video_no']} @ {d.metadata['start_timestamp']}) {d.page_content}"
        for d in docs
    )


def main() -> None:
    with live_or_emulator() as conn:
        retriever = MemoriesRetriever(**conn, k=3, search_type="BY_AUDIO")
        llm = GenericFakeChatModel(
            messages=iter(["Salt the boiling water generously before the spaghetti goes in."])
        )
        context = retriever | format_moments
        chain = {"context": context, "question": RunnablePassthrough()} | PROMPT | llm
        question = "How much salt goes in the pasta water?"

        print("Retrieved context:\n" + context.invoke(question) + "\n")
        print("Answer:", (chain | StrOutputParser()).invoke(question))


if __name__ == "__main__":
    main()
