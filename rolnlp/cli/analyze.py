"""``rolnlp analyze``: the whole analysis of a directory of reports."""
from __future__ import annotations

import argparse

from ._analysis_args import add_common, friendly, prepare, print_paths

HELP = "read, classify, mine topics and compare a directory of reports"
EPILOG = """examples:
  rolnlp analyze corpus/ --out out/
  rolnlp analyze reports/ --out out/ --n-topics 10 --seed 1 --jobs 2
  rolnlp analyze reports/ --out out/ --model models/my-model --quiet
  rolnlp analyze corpus/chunks/chunks.jsonl --out out/   # one row per scraped page

writes paragraphs.csv (one row per paragraph with its category and topic),
category profiles per report/region/year, topic tables (also by province,
city and level), distinctive terms, each report's nearest reports, text-reuse
pairs, the audit (audit.csv, indicators.csv), PNG figures and summary.html
(open it in a browser; it works offline).  OUT/.rolnlp-manifest.json lists
the files written: a rerun removes its own outputs that are no longer
produced and leaves every other file alone.  A second run into the same OUT
is refused while one is writing.  CSV cells starting with = + - @ get a
leading ' so spreadsheets do not run them as formulas.

large corpora: reports are processed in batches of 64 whose results are kept
in OUT/.rolnlp-work, so memory does not grow with the corpus.  Rerun the same
command after an interruption: batches whose files, model, lexicon and rolnlp
version are unchanged are reused, the rest recomputed (--no-resume redoes
all).  Beyond some tens of thousands of paragraphs, topics are fitted on a
seeded sample and then given to every paragraph.  Delete OUT/.rolnlp-work to
free its space.
"""


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    p = sub.add_parser("analyze", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG)
    add_common(p)
    p.add_argument("--model", metavar="PATH",
                   help="classifier model directory (default: the shipped model)")
    p.add_argument("--no-resume", dest="resume", action="store_false",
                   help="recompute every batch instead of reusing those an earlier "
                        "(interrupted) run left in OUT/.rolnlp-work")
    return p


def run(args: "argparse.Namespace") -> int:
    from ..analysis.pipeline import analyze

    seeds = prepare(args)
    with friendly():
        paths = analyze(args.directory, args.out, n_topics=args.n_topics, random_state=args.seed,
                        progress=not args.quiet, n_jobs=args.jobs, model=args.model,
                        seed_words=seeds, resume=args.resume)
    if not args.quiet:
        print_paths(paths, args.out)
        print(f"open {paths['summary']} in a browser for the summary")
    return 0
