"""Search benchmark: load a synthetic archive through the real importer, then time the search page.

    python bench/search.py --cases 10000 --database-url postgres://postgres@127.0.0.1:5432/rodovre_bench_10k
    python bench/search.py --cases 10000 --database-url sqlite:///var/bench/bench-10k.sqlite3

Steps: generate the archive (bench/generate.py, seeded) into var/bench/archive-<cases>/ unless present; create and
migrate the database; import every protocol with `importer.load.protocol_import` (timed; the search index is
written by the importer's own hook); pick the query mix by measured document frequency; call the search view
(RequestFactory → SearchView, template rendered: ranked top 20, total, facets, snippets) for every query, then
the same view with the naive `icontains` engine (bench/naive.py) as the baseline; write
bench/results/<vendor>-<cases>.json and print a Markdown table. `--skip-load` reuses a loaded database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLASSES = ["rare", "medium", "common", "phrase", "exclusion", "filtered"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rodovre_minutes.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database (or the SQLite file's directory) if missing."""
    if database_url.startswith("sqlite"):
        Path(database_url.split("sqlite:///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load(archive: Path, manifest: dict) -> dict:
    """Import every protocol through the real service; returns timing facts."""
    from django.core.management import call_command

    from cases.models import Case
    from importer.load import protocol_import

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        raise SystemExit("the database already holds cases; use --skip-load or an empty database")
    started = time.perf_counter()
    for i, name in enumerate(manifest["files"], 1):
        protocol_import(content=(archive / name).read_bytes(), filename=name)
        if i % 200 == 0:
            elapsed = time.perf_counter() - started
            print(f"  {i}/{len(manifest['files'])} protocols, {elapsed:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    return {"import_seconds": round(seconds, 1), "protocols": len(manifest["files"])}


def tidy() -> None:
    """Apply new migrations, then VACUUM/ANALYZE as autovacuum would before anyone searches."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def document_frequency(term: str) -> int:
    from search.models import SearchDocument
    from search.query import parse
    from search.services import Search

    return Search(parse(term)).matching(SearchDocument.objects.all()).count()


def pick_queries(manifest: dict, total: int, seed: int, per_class: int) -> tuple[dict, dict]:
    """The query mix per class, chosen by measured document frequency; and the DF of every query term."""
    from bench.generate import load_corpus
    from meetings.models import Committee
    from search import danish

    rng = random.Random(seed)
    df_cache: dict[str, int] = {}

    def df(term):
        if term not in df_cache:
            df_cache[term] = document_frequency(term)
        return df_cache[term]

    def share(term):
        return df(term) / total

    def take(candidates, low, high, n):
        picked = []
        for term in candidates:
            if low < share(term) < high:
                picked.append(term)
            if len(picked) == n:
                break
        return picked

    topics = rng.sample(manifest["topics"], min(200, len(manifest["topics"])))
    rare = take(topics, 0, 0.005, per_class)
    words = sorted(
        {
            w
            for s in load_corpus().sentences
            for w in danish.WORD.findall(s)
            if len(w) >= 7 and w.isalpha() and w.lower() not in danish.STOP_WORDS
        }
    )
    medium = take(rng.sample(words, min(400, len(words))), 0.01, 0.10, per_class)
    common_candidates = ["kommune", "Rødovre", "borgere", "beskæftigelse", "budget", "forvaltningen", "indsats"]
    common_candidates += ["arbejdsmarkedet", "samarbejde", "udvikling", "godkendes", "sagen", "fremlægger"]
    common = take(common_candidates, 0.30, 1.01, per_class)
    phrases = []
    sentences = load_corpus().sentences
    for sentence in rng.sample(sentences, len(sentences)):
        tokens = [w for w in danish.WORD.findall(sentence) if w.isalpha() and len(w) > 3]
        if len(tokens) >= 2:
            i = rng.randrange(len(tokens) - 1)
            phrase = f'"{tokens[i]} {tokens[i + 1]}"'
            if df(phrase) > 0:
                phrases.append(phrase)
        if len(phrases) == per_class:
            break
    half = per_class // 2
    exclusion = [f"{m} -{c}" for m, c in zip(medium[:half], common, strict=False)]
    exclusion += [f"{c} -{m}" for c, m in zip(common, medium[half:], strict=False)]
    committees = list(Committee.objects.filter(meetings__isnull=False).distinct().values_list("slug", flat=True))
    years = sorted({int(f.rsplit("-", 3)[-3]) for f in manifest["files"]})
    filtered = []
    for term in medium[:half] + common[: per_class - half]:
        filtered.append({"q": term, "committee": rng.choice(committees), "year": str(rng.choice(years))})
    mix = {
        "rare": [{"q": q} for q in rare],
        "medium": [{"q": q} for q in medium],
        "common": [{"q": q} for q in common],
        "phrase": [{"q": q} for q in phrases],
        "exclusion": [{"q": q} for q in exclusion],
        "filtered": filtered,
    }
    frequencies = {}
    for queries in mix.values():
        for params in queries:
            for term in _terms(params["q"]):
                frequencies[term] = df(term)
    for word in ("Rødovre", "kommune", "beskæftigelse", "budget"):
        frequencies[word] = df(word)
    return mix, frequencies


def _terms(q: str) -> list[str]:
    """The terms of a query as the user typed them (a phrase is one term, exclusions without the minus)."""
    if q.startswith('"'):
        return [q]
    return [t.lstrip("-") for t in q.split()]


def time_view(params: dict) -> tuple[float, int]:
    """Seconds for one request to the search page, rendered; and the total it reported."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from web.views.search import SearchView

    request = RequestFactory().get("/soeg/", params)
    request.user = AnonymousUser()
    started = time.perf_counter()
    response = SearchView.as_view()(request)
    response.render()
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, response.context_data["results"].total


def measure(mix: dict, reps: int, per_class: int | None = None) -> dict:
    out = {}
    for cls in CLASSES:
        queries = mix[cls][:per_class] if per_class else mix[cls]
        samples, totals = [], []
        for params in queries:
            time_view(params)  # warm-up: caches, plans
            for _ in range(reps):
                seconds, total = time_view(params)
                samples.append(seconds)
            totals.append(total)
        out[cls] = {"samples": samples, "totals": totals}
        out[cls].update(p50=percentile(samples, 50), p95=percentile(samples, 95))
    every = [s for c in out.values() for s in c["samples"]]
    out["mix"] = {"p50": percentile(every, 50), "p95": percentile(every, 95)}
    return out


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, round(p / 100 * len(ordered) + 0.4999))
    return round(ordered[min(rank, len(ordered)) - 1] * 1000, 1)


def sizes() -> dict:
    from django.db import connection

    from search.backends import get_engine

    out = {"fulltext_index_bytes": get_engine().index_size()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchdocument'), pg_database_size(current_database())"
            )
            out["search_table_total_bytes"], out["database_bytes"] = cursor.fetchone()
        else:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_searchdocument%'")
            out["search_table_total_bytes"] = cursor.fetchone()[0]
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            out["database_bytes"] = cursor.fetchone()[0]
    return out


def report() -> str:
    """bench/RESULTS.md from every bench/results/*.json: tables, growth 10k → 100k, document frequencies."""
    results = {}
    for path in sorted((ROOT / "bench" / "results").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if "search" not in data:  # another benchmark's results (bench/load.py: load-*.json, publish-*.json)
            continue
        results[(data["vendor"], data["cases"])] = data
    order = sorted(results, key=lambda k: (k[0] != "postgresql", k[1]))
    parts = ["# Search benchmark results", ""]
    parts += ["Generated by `python bench/search.py --report` from `bench/results/*.json`; see README.md for what is"]
    parts += ["timed and how to reproduce.", ""]
    pg = {cases: data for (vendor, cases), data in results.items() if vendor == "postgresql"}
    targets: list[str] = []
    if pg:
        large = pg[max(pg)]["search"]["mix"]["p95"], pg[max(pg)]["baseline"]["mix"]["p95"]
        targets += [
            "## Targets",
            "",
            f"- Mix p95 at {max(pg):,} cases on PostgreSQL: {large[0]} ms search vs {large[1]} ms baseline = "
            f"**{large[1] / large[0]:.0f}×** (target ≥ 20×, aim 50×).",
        ]
    if len(pg) >= 2:
        worst = max((pg[max(pg)]["search"][c]["p95"] / pg[min(pg)]["search"][c]["p95"], c) for c in CLASSES)
        growth = f"**{worst[0]:.2f}×** ({worst[1]}; target < 2×)"
        targets += [f"- Largest per-class p95 growth {min(pg):,} → {max(pg):,} cases: {growth}."]
    targets.append("")
    parts += targets
    existing = ROOT / "bench" / "RESULTS.md"
    if existing.exists() and "## Analysis" in (text := existing.read_text("utf-8")):  # hand-written, kept
        # Up to the first generated table: the analysis may have subsections of its own.
        analysis = re.split(r"\n### (?:postgresql|sqlite), ", text[text.index("## Analysis") :], maxsplit=1)[0]
        parts += [analysis.rstrip(), ""]
    for key in order:
        data = results[key]
        parts += [markdown(data), "", f"Machine: {data['machine']}.", ""]
    if len(pg) >= 2:
        small, large = min(pg), max(pg)
        parts += [f"### PostgreSQL growth {small:,} → {large:,} cases (search p95)", ""]
        parts += ["| class | p95 small ms | p95 large ms | growth |", "|---|---:|---:|---:|"]
        for cls in [*CLASSES, "mix"]:
            a, b = pg[small]["search"][cls]["p95"], pg[large]["search"][cls]["p95"]
            parts.append(f"| {cls} | {a} | {b} | {b / a:.2f}× |")
        parts.append("")
    for key in order:
        data = results[key]
        parts += [f"### Queries and document frequency, {key[0]} {key[1]:,} cases", ""]
        parts += ["| class | query | filters | total shown |", "|---|---|---|---:|"]
        for cls in CLASSES:
            totals = data["search"][cls]["totals"]
            for params, total in zip(data["queries"][cls], totals, strict=False):
                filters = ", ".join(f"{k}={v}" for k, v in params.items() if k != "q")
                parts.append(f"| {cls} | `{params['q']}` | {filters} | {total:,} |")
        parts += ["", "| term | cases | share |", "|---|---:|---:|"]
        for term, df in sorted(data["document_frequency"].items(), key=lambda kv: kv[1]["cases"]):
            parts.append(f"| `{term}` | {df['cases']:,} | {df['share'] * 100:.2f} % |")
        parts.append("")
    return "\n".join(parts)


def main(argv=None):
    if argv is None and sys.argv[1:] == ["--report"]:
        from bench.load import MARKER

        out = ROOT / "bench" / "RESULTS.md"
        # The load test's section (bench/load.py --report) follows its marker; keep it as it is.
        kept = out.read_text("utf-8").partition(MARKER) if out.exists() else ("", "", "")
        out.write_text(report() + "\n" + (f"\n{MARKER}{kept[2]}" if kept[1] else ""), encoding="utf-8")
        print(f"written {out}")
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--import-seconds", type=float, help="with --skip-load: the import time of the earlier run that loaded it"
    )
    parser.add_argument(
        "--load-only", action="store_true", help="load and record the import time; time the queries later (--skip-load)"
    )
    parser.add_argument("--per-class", type=int, default=8, help="queries per class")
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions per query (after one warm-up)")
    parser.add_argument("--baseline-per-class", type=int, default=4)
    parser.add_argument("--baseline-reps", type=int, default=1)
    args = parser.parse_args(argv)

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection
    from django.test.utils import override_settings

    from bench.generate import generate
    from bench.naive import baseline
    from search.models import SearchDocument

    # DEBUG is off (no query log); static URLs without a collected manifest.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    archive = ROOT / "var" / "bench" / f"archive-{args.cases}-seed{args.seed}"
    if not (archive / "manifest.json").exists():
        print(f"generating {args.cases} cases into {archive}", flush=True)
        generate(archive, args.cases, args.seed)
    manifest = json.loads((archive / "manifest.json").read_text("utf-8"))
    result = {
        "vendor": connection.vendor,
        "cases": manifest["cases"],
        "topic_terms": manifest["topic_terms"],
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    out = ROOT / "bench" / "results" / f"{connection.vendor}-{manifest['cases']}.json"
    out.parent.mkdir(exist_ok=True)
    if not args.skip_load:
        print(f"importing {len(manifest['files'])} protocols", flush=True)
        result.update(load(archive, manifest))
        if args.load_only:
            # Time the queries later, on a quiet machine; --skip-load then reads the import time from this file.
            kept = json.loads(out.read_text("utf-8")) if out.exists() else {}
            out.write_text(json.dumps({**kept, **result}, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"loaded in {result['import_seconds']} s; written {out}")
            return
    else:
        if out.exists():  # keep the import time measured when the database was loaded
            old = json.loads(out.read_text("utf-8"))
            result.update({k: old[k] for k in ("import_seconds", "protocols") if k in old})
        if args.import_seconds:
            result.update(import_seconds=args.import_seconds, protocols=len(manifest["files"]))
    tidy()
    total = SearchDocument.objects.count()
    result["indexed"] = total
    result["sizes"] = sizes()
    mix, frequencies = pick_queries(manifest, total, args.seed, args.per_class)
    result["queries"] = mix
    result["document_frequency"] = {t: {"cases": n, "share": round(n / total, 5)} for t, n in frequencies.items()}
    print("timing search", flush=True)
    result["search"] = measure(mix, args.reps)
    print("timing baseline (icontains)", flush=True)
    with baseline():
        result["baseline"] = measure(mix, args.baseline_reps, args.baseline_per_class)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(result))
    print(f"\nwritten {out}")


def markdown(result: dict) -> str:
    lines = [
        f"### {result['vendor']}, {result['cases']:,} cases ({result['date']})",
        "",
        "| class | search p50 ms | search p95 ms | baseline p50 ms | baseline p95 ms | p95 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for cls in [*CLASSES, "mix"]:
        s, b = result["search"][cls], result["baseline"][cls]
        ratio = b["p95"] / s["p95"] if s["p95"] else float("nan")
        lines.append(f"| {cls} | {s['p50']} | {s['p95']} | {b['p50']} | {b['p95']} | {ratio:.0f}× |")
    sz = result["sizes"]
    lines += [
        "",
        f"import: {result.get('import_seconds', '—')} s for {result.get('protocols', '—')} protocols; "
        f"full-text index {sz['fulltext_index_bytes'] / 2**20:.1f} MiB; search table total "
        f"{sz['search_table_total_bytes'] / 2**20:.1f} MiB; database {sz['database_bytes'] / 2**20:.1f} MiB",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
