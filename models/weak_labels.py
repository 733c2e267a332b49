"""The heading weak-label experiment behind the model card (research code, not
part of the package): map a heading such as ``（二）促进依法科学民主决策`` to the
codebook category it announces, and measure whether paragraphs labelled that
way help the classifier.

Report headings follow the national outline's chapters closely, so a few cue
words per category identify most of them.  Section headings (成效, 不足, 下一步)
and headings naming no area return ``None``.

Run from the repository root (``models/build.py`` calls it)::

    python -c "import sys; sys.path.insert(0, 'models'); import weak_labels"

Example
-------
>>> heading_category("（二）促进依法科学民主决策")
'decision_legality'
>>> heading_category("二、存在的不足和原因") is None
True
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rolnlp.classification.data import load_labelled  # noqa: E402
from rolnlp.classification.evaluation import cross_val_proba, metrics  # noqa: E402
from rolnlp.codebook import CATEGORIES  # noqa: E402

# heading phrases of the outline chapters, checked before the generic cues;
# order matters where phrases overlap (更具体的先)
HEADING_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dispute_resolution", ("行政复议", "矛盾纠纷", "社会矛盾", "纠纷化解", "化解纠纷", "信访",
                            "调解", "行政应诉", "诉源治理")),
    ("legal_services", ("公共法律服务", "法律援助", "公证")),
    ("legal_publicity", ("普法", "法治宣传", "法治社会", "法治文化", "法治意识", "尊法学法")),
    ("emergency", ("突发事件", "应急", "安全生产", "疫情防控", "防汛")),
    ("digital_government", ("数字法治政府", "数字政府", "数字化", "智慧", "信息化",
                            "科技保障", "大数据")),
    ("supervision", ("制约监督", "执法监督", "权力运行", "监督体系", "政务公开", "监督")),
    ("enforcement", ("行政执法", "执法体制", "严格规范公正文明执法", "执法")),
    ("decision_legality", ("决策", "规范性文件", "合法性审查", "制度体系", "制度建设",
                           "依法立法", "立法")),
    ("business_environment", ("营商环境", "政府职能", "放管服", "简政放权", "审批")),
    ("leadership", ("党的领导", "组织领导", "第一责任人", "统筹推进", "习近平法治思想",
                    "组织保障", "学法用法", "法治督察", "述法", "队伍建设")),
)

# headings that name a report part rather than an activity
_SECTION_WORDS = ("存在的", "不足", "问题", "短板", "差距", "下一步", "工作安排", "工作打算",
                  "工作思路", "工作计划", "下一年度", "主要举措", "主要成效", "基本情况",
                  "总体情况", "工作情况")

_MARKER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十百〇零\d]+[)）、.．]|"
                     r"[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[章节部分条]?)\s*")


def heading_category(heading: str):
    """The category code a heading announces, or ``None``.

    Parameters
    ----------
    heading : str
        Heading text, with or without its numbering marker.

    Returns
    -------
    str or None

    Example
    -------
    >>> heading_category("三、坚持严格规范公正文明执法")
    'enforcement'
    """
    if not isinstance(heading, str):
        raise TypeError(f"heading must be str, not {type(heading).__name__}")
    title = _MARKER.sub("", heading).strip()
    # a heading written inline at a paragraph start ends at the first full stop
    title = re.split(r"[。；;:：]", title, maxsplit=1)[0]
    if not title or len(title) > 40:
        return None
    for code, cues in HEADING_CUES:
        if any(c in title for c in cues):
            return code
    if any(w in title for w in _SECTION_WORDS):
        return None
    for cat in CATEGORIES:
        if cat.code != "other" and any(len(c) >= 3 and c in title for c in cat.cues):
            return cat.code
    return None


def path_category(heading_path):
    """Category of the innermost heading in ``heading_path`` that maps to one.

    Example
    -------
    >>> path_category(("一、主要工作", "（三）深入推进普法"))
    'legal_publicity'
    """
    for h in reversed(tuple(heading_path)):
        code = heading_category(h)
        if code:
            return code
    return None


def weak_examples(texts, *, exclude=(), min_chars=40):
    """Heading-labelled paragraphs from unlabelled report texts.

    Each text is split into paragraphs by the report parser; every paragraph whose
    heading path maps to a category (:func:`path_category`) and whose
    normalised text is not in ``exclude`` becomes an example.

    Parameters
    ----------
    texts : iterable of (group, str)
        Report texts with the group (report) each belongs to.
    exclude : iterable of str
        Texts already labelled by hand (compared after normalisation).
    min_chars : int
        Skip shorter paragraphs (fragments, residue).

    Returns
    -------
    list of dict
        ``{"text", "label", "group", "heading"}``.
    """
    from rolnlp.classification.features import normalize
    from rolnlp.reading import parse_report

    seen = {normalize(t) for t in exclude}
    out = []
    for group, text in texts:
        report = parse_report(text)
        for p in report.paragraphs:
            # a heading written inline at the paragraph start is the paragraph itself
            path = tuple(h for h in p.heading_path if not p.text.startswith(h))
            code = path_category(path)
            if not code or len(p.text) < min_chars:
                continue
            norm = normalize(p.text)
            if norm in seen or any(norm in s or s in norm for s in seen if len(s) >= min_chars
                                   and abs(len(s) - len(norm)) < 20):
                continue
            seen.add(norm)
            out.append({"text": p.text, "label": code, "group": group, "heading": path[-1]})
    return out


def weak_label_experiment(data, chunks_path, *, params=None, n_splits=5, random_state=0,
                          progress=True, max_per_class=None):
    """Does adding heading-derived labels for unlabelled chunk paragraphs help?

    Chunk texts are split by the report parser; paragraphs whose heading
    path maps to a category (:func:`path_category`)
    and that are not among the labelled texts become weak examples.  Both
    models are scored by the same grouped CV on the labelled data only; weak
    rows from a report in the test fold are left out of that fold's training.

    Returns
    -------
    dict
        ``n_chunks``, ``n_weak``, weak label counts, baseline and augmented
        macro-F1/accuracy, and their deltas.
    """
    import json
    from collections import Counter

    from rolnlp.classification.estimator import ParagraphClassifier

    df = load_labelled(data)
    texts, y, groups = df["text"].tolist(), df["label"].to_numpy(), df["group"].to_numpy()
    chunk_rows = []
    with open(chunks_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                chunk_rows.append(((r.get("url") or r.get("id")), r["text"]))
    weak = weak_examples(chunk_rows, exclude=texts)
    if max_per_class:
        rng = np.random.default_rng(random_state)
        by = {}
        for w in weak:
            by.setdefault(w["label"], []).append(w)
        weak = [w for k in sorted(by) for w in
                (by[k] if len(by[k]) <= max_per_class else
                 [by[k][i] for i in sorted(rng.choice(len(by[k]), max_per_class, replace=False))])]
    params = {**(params or {}), "random_state": random_state}

    def make():
        return ParagraphClassifier(**params)

    res = {"n_chunks": len(chunk_rows), "n_weak": len(weak),
           "weak_label_counts": dict(sorted(Counter(w["label"] for w in weak).items()))}
    base_c, base_p = cross_val_proba(make, texts, y, groups, n_splits=n_splits,
                                     random_state=random_state, progress=progress,
                                     desc="baseline")
    extra = ([w["text"] for w in weak], [w["label"] for w in weak], [w["group"] for w in weak])
    aug_c, aug_p = cross_val_proba(make, texts, y, groups, n_splits=n_splits,
                                   random_state=random_state, extra=extra if weak else None,
                                   progress=progress, desc="with weak labels")
    mb = metrics(y, base_c[base_p.argmax(axis=1)], labels=list(base_c))
    ma = metrics(y, aug_c[aug_p.argmax(axis=1)], labels=list(aug_c))
    res.update({"baseline_macro_f1": mb["macro_f1"], "baseline_accuracy": mb["accuracy"],
                "weak_macro_f1": ma["macro_f1"], "weak_accuracy": ma["accuracy"],
                "delta_macro_f1": ma["macro_f1"] - mb["macro_f1"],
                "delta_accuracy": ma["accuracy"] - mb["accuracy"]})
    return res
