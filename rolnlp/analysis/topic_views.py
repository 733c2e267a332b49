"""Research views of a fitted :class:`~rolnlp.analysis.topics.TopicModel`.

Topic shares are computed per report first and only then averaged over the
reports of a group, so a long report weighs as much as a short one; intervals
are bootstrapped over reports.  The methods of ``TopicModel`` call these.
"""
from __future__ import annotations

import numpy as np

from ..errors import ModelError
from . import topic_engines as engines

GROUP_COLUMNS = ("region", "province", "city", "level", "year")

def representative_docs(tm, topic, top_n):
    """See :meth:`~rolnlp.analysis.topics.TopicModel.get_representative_docs`."""
    import pandas as pd

    tm._check_fitted()
    topics = range(tm.n_topics_) if topic is None else [tm._check_topic(topic)]
    docs = tm.documents_
    rows_fit = np.flatnonzero(docs["topic"].to_numpy() >= 0)
    from sklearn.preprocessing import normalize

    if tm._X is not None:
        Xn = normalize(tm._X.astype(np.float64))
        score_all = np.asarray((Xn @ normalize(tm.topic_word_).T))
    else:  # a loaded model keeps no counts: fall back on the topic weight
        score_all = tm.doc_topic_[rows_fit]
    assigned = docs["topic"].to_numpy()[rows_fit]
    out = []
    for t in topics:
        pos = np.flatnonzero(assigned == t)
        order = pos[np.lexsort((pos, -score_all[pos, t]))][:top_n]
        for rank, p in enumerate(order):
            r = int(rows_fit[p])
            out.append({"topic": t, "rank": rank, "row": r,
                        "report_id": docs.at[r, "report_id"], "index": docs.at[r, "index"],
                        "score": float(score_all[p, t]),
                        # rows given topics after a fit on a sample keep no text
                        "text": docs.at[r, "text"] if "text" in docs.columns else None})
    return pd.DataFrame(out, columns=["topic", "rank", "row", "report_id", "index",
                                      "score", "text"])


def shares_per_group(tm, by, labels, min_reports, n_boot, ci):
    """See :meth:`~rolnlp.analysis.topics.TopicModel.topics_per_class`."""
    import pandas as pd

    tm._check_fitted()
    if not isinstance(min_reports, (int, np.integer)) or min_reports < 1:
        raise ModelError(f"min_reports must be a positive int, got {min_reports!r}")
    keys = group_keys(tm, by, labels)
    per = report_shares(tm, keys)
    cols = [by, "topic", "label", "share", "ci_low", "ci_high", "n_reports", "n_paragraphs"]
    if per.empty:
        return pd.DataFrame(columns=cols)
    names = tm.topic_labels_
    rng = np.random.default_rng(tm.random_state)
    rows = []
    for key, grp in per.groupby("_key", sort=True):
        wide = grp.pivot(index="report_id", columns="topic", values="share") \
            .reindex(columns=range(tm.n_topics_), fill_value=0.0).fillna(0.0)
        n_rep = len(wide)
        if n_rep < min_reports:
            continue
        n_par = int(grp.drop_duplicates("report_id")["n_paragraphs"].sum())
        mean = wide.to_numpy().mean(axis=0)
        lo = hi = np.full(tm.n_topics_, np.nan)
        if n_boot and n_rep > 1:
            idx = rng.integers(0, n_rep, size=(n_boot, n_rep))
            boots = _boot_means(wide.to_numpy(), idx)
            lo, hi = np.quantile(boots, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
        for t in range(tm.n_topics_):
            rows.append({by: key, "topic": t, "label": names[t], "share": float(mean[t]),
                         "ci_low": float(lo[t]), "ci_high": float(hi[t]),
                         "n_reports": n_rep, "n_paragraphs": n_par})
    return pd.DataFrame(rows, columns=cols)


_BOOT_CELLS = 2_000_000  # resampled shares held at once (16 MB of float64)


def _boot_means(values, idx):
    """``values[idx].mean(axis=1)`` a few resamples at a time: the whole
    ``n_boot × n_reports × n_topics`` array took ~110 MB for a group of 6,000
    reports.  Each resample's mean is computed as in one go, so the numbers
    are the same."""
    step = max(1, _BOOT_CELLS // max(1, idx.shape[1] * values.shape[1]))
    if step >= len(idx):
        return values[idx].mean(axis=1)
    return np.concatenate([values[idx[i:i + step]].mean(axis=1)
                           for i in range(0, len(idx), step)])


def terms_per_group(tm, by, labels, top_n, min_reports):
    """See :meth:`~rolnlp.analysis.topics.TopicModel.topic_terms_per_class`."""
    import pandas as pd

    tm._check_fitted()
    if tm._X is None:
        raise ModelError("per-group terms need the fitted counts; refit the model")
    keys = np.asarray(group_keys(tm, by, labels), dtype=object)
    docs = tm.documents_
    fitted = np.flatnonzero(docs["topic"].to_numpy() >= 0)
    keys_f = keys[fitted]
    topic_f = docs["topic"].to_numpy()[fitted]
    rep_f = docs["report_id"].astype(str).to_numpy()[fitted]
    ok = pd.notna(pd.Series(keys_f)).to_numpy()
    names = tm.topic_labels_
    cells = sorted({(str(k), int(t)) for k, t in zip(keys_f[ok], topic_f[ok])})
    if not cells:
        return pd.DataFrame(columns=[by, "topic", "label", "n_paragraphs", "n_reports",
                                     "terms"])
    cell_id = {c: i for i, c in enumerate(cells)}
    lab = np.array([cell_id[(str(k), int(t))] if o else -1
                    for k, t, o in zip(keys_f, topic_f, ok)])
    sel = lab >= 0
    W = engines.ctfidf(tm._X[sel], lab[sel], len(cells))
    rows = []
    for i, (k, t) in enumerate(cells):
        members = lab == i
        n_rep = len(set(rep_f[members]))
        if n_rep < min_reports:
            continue
        top = np.argsort(-W[i], kind="stable")[:top_n]
        rows.append({by: k, "topic": t, "label": names[t], "n_paragraphs": int(members.sum()),
                     "n_reports": n_rep,
                     "terms": " ".join(tm.dictionary_[int(j)] for j in top if W[i, j] > 0)})
    return pd.DataFrame(rows)


def group_keys(tm, by, labels):
    """Helper of the grouped views."""
    docs = tm.documents_
    if by == "category":
        return category_labels(tm, labels)
    if by in docs.columns and by not in ("text", "topic", "probability"):
        return list(docs[by])
    raise ModelError(f"by must be one of {', '.join(GROUP_COLUMNS)}, category, report_id "
                     f"or a metadata column; got {by!r}")


def report_shares(tm, keys):
    """Long table ``_key, report_id, topic, share, n_paragraphs`` over fitted rows."""
    import pandas as pd

    docs = tm.documents_
    fitted = docs["topic"].to_numpy() >= 0
    rid = docs["report_id"].astype(str).to_numpy()
    k = np.asarray(rid if keys is None else keys, dtype=object)
    ok = fitted & pd.notna(pd.Series(k)).to_numpy()
    if not ok.any():
        return pd.DataFrame(columns=["_key", "report_id", "topic", "share", "n_paragraphs"])
    probs = pd.DataFrame(tm.doc_topic_[ok])
    probs["_key"] = k[ok]
    probs["report_id"] = rid[ok]
    g = probs.groupby(["_key", "report_id"], sort=True)
    mean = g.mean()
    size = g.size()
    long = mean.stack().rename("share").reset_index()
    long.columns = ["_key", "report_id", "topic", "share"]
    long["topic"] = long["topic"].astype(int)
    long["n_paragraphs"] = size.reindex(pd.MultiIndex.from_frame(
        long[["_key", "report_id"]])).to_numpy()
    if keys is None:
        long["_key"] = long["report_id"]
    return long


def category_labels(tm, labels):
    """Helper of the grouped views."""
    import pandas as pd

    n = len(tm.documents_)
    if labels is None:
        from ..classification import classify  # loaded only on request

        labels = [p.label for p in classify(tm.documents_["text"].tolist())]
    elif isinstance(labels, pd.DataFrame):
        if "label" not in labels.columns:
            raise TypeError("a labels DataFrame needs a 'label' column")
        labels = labels["label"]
    labels = list(labels)
    if len(labels) != n:
        raise ModelError(f"got {len(labels)} labels for {n} fitted paragraphs")
    return labels
