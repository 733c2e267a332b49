"""``rolnlp topics``: mine topics across reports and write their tables and figures."""
from __future__ import annotations

import argparse

from ._analysis_args import add_common, friendly, prepare, print_paths

HELP = "mine topics across a directory of reports"
EPILOG = """examples:
  rolnlp topics corpus/ --out out/topics
  rolnlp topics corpus/ --out out/topics --n-topics 8 --seed 1
  rolnlp topics corpus/ --out out/topics --seed-words codebook --quiet

writes topic_info.csv, topics_per_report.csv, topics_over_time.csv,
coherence_sweep.csv (with --n-topics auto), PNG figures and topic_model/.
"""


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    p = sub.add_parser("topics", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG)
    add_common(p)
    return p


def run(args: "argparse.Namespace") -> int:
    from ..analysis.pipeline import mine_topics

    seeds = prepare(args)
    with friendly():
        tm, paths = mine_topics(args.directory, args.out, n_topics=args.n_topics,
                                random_state=args.seed, progress=not args.quiet,
                                n_jobs=args.jobs, seed_words=seeds)
    if not args.quiet:
        print(f"{tm.n_topics_} topics")
        print_paths(paths, args.out)
    return 0
