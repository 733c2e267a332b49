"""The unit table: one column list, the same for a report, a corpus and an empty corpus."""
import pytest

from rolnlp import Corpus, parse_report, read_report
from rolnlp.reading import UNIT_COLUMNS
from rolnlp.reading.table import concat_frames, empty_frame

LETTER = ("常州市人民政府：\n2023年，我区扎实推进法治政府建设。现报告如下：\n一、主要举措和成效\n"
          "要求如下：一是学法；二是用法。\n二、存在的不足\n执法力量薄弱。\n常州市钟楼区人民政府\n2024年3月6日")


def test_columns_are_the_contract():
    for c in ("report_id", "report_title", "region", "province", "city", "county", "adcode",
              "level", "year", "publisher", "report_date", "source", "kind", "section",
              "heading", "heading_path", "index", "start", "end", "text"):
        assert c in UNIT_COLUMNS
    assert len(set(UNIT_COLUMNS)) == len(UNIT_COLUMNS)


def test_levels_of_one_report():
    r = parse_report(LETTER, id="zl")
    body = r.to_dataframe()
    assert list(body.columns) == list(UNIT_COLUMNS)
    assert body["kind"].tolist() == ["paragraph"] * 3 and len(body) == len(r)
    every = r.to_dataframe("all")
    assert every["kind"].tolist() == ["addressee", "paragraph", "heading", "paragraph",
                                      "heading", "paragraph", "signature", "date"]
    assert "".join(every["text"]) == r.text.replace("\n", "")
    items = r.to_dataframe("item")
    assert items["kind"].tolist() == ["paragraph", "item", "item", "item", "paragraph"]
    assert items["parent"].tolist()[1:4] == [1, 1, 1]
    assert every.loc[every.kind == "heading", "heading"].tolist() == ["一、主要举措和成效",
                                                                      "二、存在的不足"]
    with pytest.raises(ValueError, match="level"):
        r.to_dataframe("sentence")


def test_corpus_table_concatenates_and_empty_has_the_same_columns(seed_paths):
    c = Corpus.from_reports([read_report(p) for p in seed_paths[:2]])
    df = c.to_dataframe()
    assert list(df.columns) == list(UNIT_COLUMNS)
    assert len(df) == sum(len(r) for r in c)
    for r in c:
        rows = df[df.report_id == r.id]
        assert set(rows["region"]) == {r.metadata.region}
        assert rows["text"].tolist() == [p.text for p in r.paragraphs]
    empty = Corpus().to_dataframe()
    assert list(empty.columns) == list(UNIT_COLUMNS) and len(empty) == 0
    assert list(Corpus.from_texts([""]).to_dataframe().columns) == list(UNIT_COLUMNS)
    assert list(concat_frames([empty_frame(), df]).columns) == list(UNIT_COLUMNS)
