"""A self-contained HTML summary: figures embedded as base64 PNG, tables as
HTML, one file a person can open offline."""
from __future__ import annotations

import base64
import datetime as _dt
import html

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}
th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}
img{max-width:100%;border:1px solid #eee}.caption{color:#666;font-size:.85em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
"""


def render_summary(title, blocks):
    """Render ``blocks`` into one HTML page (a str).

    Parameters
    ----------
    title : str
    blocks : list of tuple
        ``("h2", text)``, ``("p", text)``, ``("facts", dict)``,
        ``("table", DataFrame, caption)`` or ``("figure", png_bytes_or_path, caption)``.

    Example
    -------
    >>> page = render_summary("t", [("p", "hello")])
    >>> "<p>hello</p>" in page
    True
    """
    parts = [f"<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    for block in blocks:
        kind = block[0]
        if kind == "h2":
            parts.append(f"<h2>{html.escape(block[1])}</h2>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "facts":
            items = "".join(f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>"
                            for k, v in block[1].items())
            parts.append(f"<dl>{items}</dl>")
        elif kind == "table":
            df, caption = block[1], block[2]
            parts.append(f"<p class=\"caption\">{html.escape(caption)}</p>")
            parts.append(df.to_html(index=False, escape=True, border=0,
                                    float_format=lambda x: f"{x:.3f}", na_rep=""))
        elif kind == "figure":
            data, caption = block[1], block[2]
            if not isinstance(data, (bytes, bytearray)):
                with open(data, "rb") as f:
                    data = f.read()
            b64 = base64.b64encode(data).decode("ascii")
            parts.append(f"<figure><img alt=\"{html.escape(caption)}\" "
                         f"src=\"data:image/png;base64,{b64}\"><figcaption class=\"caption\">"
                         f"{html.escape(caption)}</figcaption></figure>")
        else:
            raise ValueError(f"unknown summary block {kind!r}")
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts.append(f"<p class=\"caption\">Written by rolnlp on {stamp}.</p></body></html>\n")
    return "\n".join(parts)


def write_summary(path, title, blocks):
    """Write :func:`render_summary` output to ``path`` atomically; returns ``path``.

    Example
    -------
    >>> write_summary("out/summary.html", "Reports", [("p", "…")])  # doctest: +SKIP
    """
    from .._io import atomic_write

    with atomic_write(path) as f:
        f.write(render_summary(title, blocks))
    return path
