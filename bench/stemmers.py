"""Which Indonesian stemmer should Serambi's search analysis use?

For each candidate: accuracy on the hand-made gold list (bench/stemmers_gold.tsv, affixed words
as librarians write them), the cost of starting it (import and dictionary, in a fresh process)
and words per second uncached and behind a per-word cache. Then the same figures for what
Serambi ships (search.analysis.stem, the chosen stemmer behind its do-not-stem list), and how
long search.analysis.analyze() takes on a 5,000-character post.

    .venv/bin/python bench/stemmers.py
    .venv/bin/python bench/stemmers.py --sastrawi-dir /tmp/sastrawi-1.0.1 --misses

The installed Sastrawi (PySastrawi, or the older Sastrawi upload: both install the package
`Sastrawi`, so only one can be installed at a time) and PyStemmer are measured when present.
Another Sastrawi is compared by installing it aside and naming the folder:
`pip install --no-deps --target /tmp/sastrawi-1.0.1 Sastrawi==1.0.1`. Each candidate runs in a
process of its own, so start-up is measured cold and the two Sastrawis never meet.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLD = HERE / "stemmers_gold.tsv"
# Never used to correct Serambi's word lists: the honest score of what they do to new words.
HELD_OUT = HERE / "stemmers_heldout.tsv"
MIN_SECONDS = 0.5  # each throughput figure runs whole passes over the gold words for this long

Stem = Callable[[str], str]


@dataclass
class Candidate:
    name: str
    uncached: Stem  # the stemmer itself, every word computed
    cached: Stem  # behind a per-word cache
    reset: Callable[[], None] | None = None  # empties that cache
    pipeline: Stem | None = None  # what scoring runs on a raw word, when not `cached`


def load_gold(path: Path = GOLD) -> list[tuple[str, str, str]]:
    """(word, root, what Serambi wants) for each line of a gold list."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, root, *serambi = line.split("\t")
        rows.append((word, root, serambi[0] if serambi else root))
    return rows


def words_per_second(
    stem: Stem, words: list[str], *, reset: Callable[[], None] | None, warm: bool = False
) -> float:
    """Whole passes over `words` for MIN_SECONDS; `reset` (a cache clear) runs before each.

    `warm` runs one pass first, unmeasured: the figure is then the cache's alone.
    """
    if warm:
        for word in words:
            stem(word)
    count, elapsed = 0, 0.0
    while elapsed < MIN_SECONDS:
        if reset:
            reset()
        start = time.perf_counter()
        for word in words:
            stem(word)
        elapsed += time.perf_counter() - start
        count += len(words)
    return count / elapsed


def sastrawi_candidate() -> Candidate:
    import Sastrawi
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = StemmerFactory().get_words()
    stemmer = Stemmer(ArrayDictionary(words))
    # Which upload this is: the folder named on the command line has its own dist-info.
    folder = Path(Sastrawi.__file__).parent.parent
    dists = sorted(p.name.removesuffix(".dist-info") for p in folder.glob("*astrawi-*.dist-info"))
    name = dists[0] if dists else "Sastrawi (unknown upload)"
    # Sastrawi.stem() lowercases and strips punctuation over a whole sentence; per word,
    # stem_word() is what runs underneath, without that pass.
    cached = functools.lru_cache(maxsize=100_000)(stemmer.stem_word)
    return Candidate(name, stemmer.stem_word, cached, reset=cached.cache_clear)


def pystemmer_candidate() -> Candidate:
    from importlib.metadata import version

    import Stemmer

    uncached = Stemmer.Stemmer("indonesian", 0)  # maxCacheSize 0: no cache at all
    cached = Stemmer.Stemmer("indonesian", 100_000)
    return Candidate(
        f"PyStemmer-{version('PyStemmer')} (Snowball)", uncached.stemWord, cached.stemWord
    )


def serambi_candidate() -> Candidate:
    sys.path.insert(0, str(ROOT))
    from search import analysis

    analysis.stem("buku")  # the first call loads the dictionary: start-up, not throughput

    def pipeline(word: str) -> str:
        # What indexing does with a raw word: tokens first (reduplication), then one stem each.
        return " ".join(analysis.stem(token) for token in analysis.tokens(word))

    stem = analysis.stem
    return Candidate(
        "search.analysis.stem (chosen: PySastrawi + word lists)",
        stem.__wrapped__,
        stem,
        reset=stem.cache_clear,
        pipeline=pipeline,
    )


CANDIDATES = {
    "sastrawi": sastrawi_candidate,
    "pystemmer": pystemmer_candidate,
    "serambi": serambi_candidate,
}


def measure(candidate: str) -> dict:
    """One candidate's figures; runs in the worker process."""
    start = time.perf_counter()
    chosen = CANDIDATES[candidate]()
    startup = time.perf_counter() - start
    want = 2 if candidate == "serambi" else 1  # the column it is scored on
    score = chosen.pipeline or chosen.cached
    words = [row[0] for row in load_gold() if "-" not in row[0]]
    figures = {
        "name": chosen.name,
        "startup_ms": startup * 1000,
        "uncached_wps": words_per_second(chosen.uncached, words, reset=None),
        "cached_wps": words_per_second(chosen.cached, words, reset=None, warm=True),
    }
    for label, path in (("gold", GOLD), ("held_out", HELD_OUT)):
        rows = load_gold(path)
        misses = [(row[0], score(row[0]), row[want]) for row in rows if score(row[0]) != row[want]]
        figures[label] = {"words": len(rows), "misses": misses}
    if chosen.reset:
        figures["cold_cache_wps"] = words_per_second(chosen.cached, words, reset=chosen.reset)
    if candidate == "serambi":
        figures["analyze_ms"] = analyze_milliseconds()
        figures["speller"] = speller_figures()
    return figures


def speller_figures(size: int = 50_000) -> dict:
    """search.analysis.spelling on `size` terms: Sastrawi's roots, then made-up longer ones."""
    import random
    import resource

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from search.analysis.spelling import Speller

    rng = random.Random(7)
    roots = sorted({w for w in StemmerFactory().get_words() if w.isalpha()})
    terms = set(roots)
    while len(terms) < size:
        terms.add(rng.choice(roots) + rng.choice("bcdgklmnprst") + rng.choice("aiueo"))
    vocabulary = {term: rng.randint(1, 500) for term in sorted(terms)}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    speller = Speller(vocabulary)
    build = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB on Linux
    typos = ["sirkulsi", "katalg", "perpustkaan", "pustakwan", "anggta", "xqzvwkjh", "bukuu"]
    start = time.perf_counter()
    for _ in range(20):
        for typo in typos:
            speller.correct(typo)
    per_query = (time.perf_counter() - start) / (20 * len(typos))
    return {
        "terms": len(vocabulary),
        "build_s": build,
        "mib": grown / 1024,
        "query_ms": per_query * 1000,
    }


def sample_post(length: int = 5000) -> str:
    """A forum post of about `length` characters: the gold words inside ordinary sentences."""
    words = [row[0] for row in load_gold()]
    sentence = (
        "Bagaimana cara {0} {1} di perpustakaan desa kami, apakah {2} bisa dilakukan oleh "
        "pustakawan? Terima kasih, Bapak/Ibu: ISBN 978-602-8519-93-9, jam buka 08.00 (Senin). "
    )
    text, i = "", 0
    while len(text) < length:
        text += sentence.format(*(words[(i + k) % len(words)] for k in range(3)))
        i += 3
    return text[:length]


def analyze_milliseconds() -> dict:
    from search import analysis

    post = sample_post()
    start = time.perf_counter()
    analysis.analyze(post)  # the stems of this post are not cached yet
    cold = time.perf_counter() - start
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        analysis.analyze(post)
    warm = (time.perf_counter() - start) / runs
    return {"chars": len(post), "cold": cold * 1000, "warm": warm * 1000}


def run_worker(candidate: str, sastrawi_dir: str | None) -> dict | None:
    command = [sys.executable, __file__, "--worker", candidate]
    if sastrawi_dir:
        command += ["--path", sastrawi_dir]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        print(f"  {candidate}: not measured: {last}")
        return None
    return json.loads(done.stdout)


def report(figures: dict, *, show_misses: bool) -> None:
    print(f"\n{figures['name']}")
    for label, title in (("gold", "accuracy"), ("held_out", "held out")):
        part = figures[label]
        accuracy = 1 - len(part["misses"]) / part["words"]
        print(f"  {title:13} {accuracy:6.1%}  ({len(part['misses'])} misses of {part['words']})")
    print(f"  start-up      {figures['startup_ms']:8.1f} ms  (import + dictionary, cold process)")
    print(f"  uncached      {figures['uncached_wps']:10,.0f} words/s")
    if "cold_cache_wps" in figures:
        print(f"  cache cold    {figures['cold_cache_wps']:10,.0f} words/s  (each pass from empty)")
    print(f"  cached        {figures['cached_wps']:10,.0f} words/s")
    if "analyze_ms" in figures:
        a = figures["analyze_ms"]
        print(
            f"  analyze()     {a['warm']:8.2f} ms per {a['chars']:,}-character post, warm cache "
            f"({a['cold']:.1f} ms the first time)"
        )
    if "speller" in figures:
        sp = figures["speller"]
        print(
            f"  Speller       {sp['query_ms']:8.2f} ms per correction on {sp['terms']:,} terms "
            f"(built in {sp['build_s']:.1f} s, ~{sp['mib']:.0f} MiB)"
        )
    if show_misses:
        for label in ("gold", "held_out"):
            for word, got, want in figures[label]["misses"]:
                print(f"    {label:8} {word:22} -> {got:18} want {want}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sastrawi-dir",
        action="append",
        default=[],
        help="a folder holding another Sastrawi (pip install --target)",
    )
    parser.add_argument("--misses", action="store_true", help="list every word a stemmer missed")
    parser.add_argument("--worker", choices=CANDIDATES, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.path:
            sys.path.insert(0, args.path)
        print(json.dumps(measure(args.worker)))
        return
    print(f"{len(load_gold())} gold words, Python {sys.version.split()[0]}")
    runs = [
        ("sastrawi", None),
        *(("sastrawi", d) for d in args.sastrawi_dir),
        ("pystemmer", None),
        ("serambi", None),
    ]
    for candidate, folder in runs:
        figures = run_worker(candidate, folder)
        if figures:
            report(figures, show_misses=args.misses or candidate == "serambi")


if __name__ == "__main__":
    main()
