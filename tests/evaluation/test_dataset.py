from __future__ import annotations

from pathlib import Path

import pytest

from memories_integrations.errors import InvalidInputError
from memories_integrations.evaluation import DatasetError, Window, load_dataset, parse_jsonl


def test_jsonl_rows_single_and_several_windows(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"query": "chop onions", "video": "cooking_demo.mp4", "start": 2, "end": 4}\n'
        "\n# a comment\n"
        '{"query": "goal", "id": "q2", "namespace": "ns", "video_no": "VI1",'
        ' "windows": [[4, 6], {"start": 6, "end": 8}, {"video_no": "VI2", "start": 0, "end": 1}]}\n'
    )
    first, second = load_dataset(path)
    assert first.windows == (Window("cooking_demo.mp4", 2.0, 4.0, by_name=True),)
    assert first.line == 1
    assert second.id == "q2" and second.namespace == "ns" and second.line == 4
    assert second.windows == (Window("VI1", 4, 6), Window("VI1", 6, 8), Window("VI2", 0, 1))


def test_csv_rows_with_one_query_become_one_query(tmp_path: Path) -> None:
    path = tmp_path / "set.csv"
    path.write_text(
        "query,video,start,end\nchop onions,cooking_demo,2,4\nchop onions,cooking_demo,4,6\n"
        "goal,soccer_match,4,6\n"
    )
    chop, goal = load_dataset(path)
    assert [(w.start, w.end) for w in chop.windows] == [(2, 4), (4, 6)]
    assert goal.query == "goal"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"video_no": "V", "start": 0, "end": 1}', "missing query"),
        ('{"query": "q", "start": 0, "end": 1}', "missing video_no"),
        ('{"query": "q", "video_no": "V", "start": 3, "end": 1}', "must be after start"),
        ('{"query": "q", "video_no": "V", "start": "x", "end": 1}', "start must be a number"),
        ('{"query": "q", "video_no": "V", "start": -1, "end": 1}', "must be >= 0"),
        ('{"query": "q", "video_no": "V", "video": "a.mp4", "start": 0, "end": 1}', "not both"),
        ('{"query": "q", "video_no": "V", "windows": []}', "non-empty list"),
        ('["q"]', "expected a JSON object"),
    ],
)
def test_bad_jsonl_rows_name_their_line(line: str, message: str) -> None:
    good = '{"query": "ok", "video_no": "V", "start": 0, "end": 1}'
    with pytest.raises(DatasetError, match=rf"set\.jsonl:2: .*{message}"):
        parse_jsonl([good, line], "set.jsonl")


def test_bad_csv_rows_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "set.csv"
    path.write_text("query,video_no,start,end\nq,V,0,1\nq2,V,5,2\n")
    with pytest.raises(DatasetError, match=r"set\.csv:3: end"):
        load_dataset(path)
    path.write_text("query,start,end\nq,0,1\n")
    with pytest.raises(DatasetError, match=r"set\.csv:1: the header needs"):
        load_dataset(path)


def test_duplicates_missing_file_and_empty_set(tmp_path: Path) -> None:
    row = '{"query": "q", "video_no": "V", "start": 0, "end": 1}'
    with pytest.raises(DatasetError, match=r"x:2: duplicate query \(first on line 1"):
        parse_jsonl([row, row], "x")
    with pytest.raises(InvalidInputError, match="cannot read dataset"):
        load_dataset(tmp_path / "missing.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(DatasetError, match="no labelled queries"):
        load_dataset(tmp_path / "empty.jsonl")
