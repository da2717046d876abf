"""`scripts/bench --only learning`: how much the creator's corrections teach, and how fast.

A learning curve, measured the way a creator meets it:

1. one note genre of the hand-written corpus (models/corpus/notes/<genre>.txt, never the shared real
   comments) is held out: a base model is trained on everything else (cached under the results dir,
   with its own replay sample drawn from the same rows, so no text of the genre is ever replayed);
2. the genre's comments are split, seeded: a pool of up to 200 to correct, the rest to test on;
3. for N = 0, 25, 50, 100, 200: a fresh `linktriage serve` whose creator model is the base gets all of
   the genre's comments over HTTP (under their notes' titles), then the first N of the pool as
   corrections (`PATCH /api/comments/<id>` with `correction`), as fast as a teach session would send
   them; the clock runs from the last correction until `GET /api/model` reports a model with all N in
   use (the automatic retrain's own trigger and idle wait included); then F1 of the stored verdicts
   on the test comments.

Beside the HTTP curve, the same splits go through helper.nlp.learning in-process for a few
fine-tuning variants (with/without corpus replay, more steps), the numbers behind the choice in
models/README.md "Learning from corrections".
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks import CORPUS_DIR, RESULTS_DIR

GENRE = "recipes"
POINTS = [0, 25, 50, 100, 200]
POOL = 200
SEED = 17615
BASE_STEPS = 2000  # as the held-out evaluation's folds
GOAL_LEARN_S = 15.0  # one retrain (base + corrections), issue 11
GOAL_IN_USE_S = 30.0  # 50 answers → a model that uses them


def genre_comments(genre: str):
    """The genre's hand-written comments a creator would see from others (no author answers, no
    echo replies, which the thread rule handles), with their notes."""
    from helper.nlp import corpus
    from helper.nlp.threads import is_echo

    rows = corpus.read_notes(CORPUS_DIR / "notes")
    return [c for c in rows if c.genre == genre and c.kind != "author" and not (c.kind == "reply" and is_echo(c.text))]


def split(comments, pool_size: int = POOL, seed: int = SEED):
    order = list(range(len(comments)))
    random.Random(seed).shuffle(order)
    pool = [comments[i] for i in order[:pool_size]]
    test = [comments[i] for i in order[pool_size:]]
    return pool, test


def base_model(genre: str, cache_root: Path, progress=print) -> Path:
    """A pipeline trained without `genre` (and its replay sample), cached by genre and corpus stamp."""
    from helper.nlp import corpus, learning, training

    stamp = learning.corpus_stamp(training.CORPUS_DIR)
    out = cache_root / f"learning-base-{genre}-{stamp}" / "pipeline"
    if (out / "meta.json").is_file() and (out / learning.REPLAY_FILE).is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = [r for r in corpus.load_corpus(training.CORPUS_DIR) if r.genre != genre]
    fit, dev = corpus.split_examples(rows, training.DEV_SHARE)
    progress(f"training a base model without {genre} ({len(fit)} rows, {BASE_STEPS} steps; cached for next time)")
    started = time.perf_counter()
    training.train_pipeline(fit, dev, out, max_steps=BASE_STEPS, quiet=True)
    learning.write_replay(training.blank_nlp(), fit, learning.REPLAY_SIZE, out / learning.REPLAY_FILE)
    progress(f"  base trained in {time.perf_counter() - started:.0f} s")
    return out


def _f1(gold, pred) -> dict:
    from helper.nlp.evaluation import prf

    m = prf(gold, pred)
    return {"f1": round(m["f1"], 4), "p": round(m["p"], 4), "r": round(m["r"], 4), "tested": m["n"], "positives": m["pos"]}


def _comment_id(index: int) -> str:
    return f"learn{index:05d}"


def http_point(base: Path, comments, pool, test, n: int, progress=print) -> dict:
    """One point of the curve through a real helper (see the module docstring)."""
    from benchmarks.helper_http import HelperClient
    from live_helper import serve_helper
    from helper.nlp import learning

    ids = {id(c): _comment_id(i) for i, c in enumerate(comments)}
    with tempfile.TemporaryDirectory(prefix="linktriage-learning-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        learning.learn([], data_dir / "pipeline", base_dir=base)  # the creator's model = the base
        env = {**os.environ, "LINKTRIAGE_BASE_MODEL_DIR": str(base), "LINKTRIAGE_AUTO_RETRAIN": "1"}
        env.pop("LINKTRIAGE_MODEL_DIR", None)
        with serve_helper(data_dir, env=env, log=Path(tmp) / "serve.log") as helper:
            client = HelperClient(helper.port)
            by_note: dict[str, list] = {}
            for c in comments:
                by_note.setdefault(c.note.title, []).append(c)
            for number, (title, members) in enumerate(by_note.items()):
                status, body = client.request("POST", "/api/comments", {
                    "platform": "xhs", "note": {"id": f"note{number}", "title": title},
                    "comments": [{"id": ids[id(c)], "text": c.text} for c in members]})
                if status != 200:
                    raise RuntimeError(f"ingest failed: {status} {body}")
            last = None
            for c in pool[:n]:
                status, body = client.request("PATCH", f"/api/comments/{ids[id(c)]}",
                                              {"correction": "missed" if c.label else "not_request"})
                if status != 200:
                    raise RuntimeError(f"correction failed: {status} {body}")
                last = time.perf_counter()
            in_use_s = None
            state = None
            if n:
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    _, state = client.request("GET", "/api/model", None)
                    if (state.get("model") or {}).get("corrections") == n:
                        in_use_s = round(time.perf_counter() - last, 2)
                        break
                    time.sleep(0.1)
                else:
                    raise RuntimeError(f"no model with {n} corrections after 300 s: {state}")
                while time.monotonic() < deadline:  # the stored verdicts follow the swap
                    _, state = client.request("GET", "/api/model", None)
                    if state["state"] == "idle" and (state.get("last_run") or {}).get("corrections") == n:
                        break
                    time.sleep(0.2)
            stored = {}
            offset = 0
            while True:
                _, page = client.request("GET", f"/api/comments?limit=1000&offset={offset}", None)
                stored.update({c["id"]: c for c in page["items"]})
                offset += 1000
                if offset >= page["total"]:
                    break
            gold = [c.label for c in test]
            pred = [bool(stored[ids[id(c)]]["is_request"]) for c in test]
            result = {"n": n, **_f1(gold, pred), "seconds_to_model_in_use": in_use_s,
                      "runs": (state or {}).get("runs", 0),
                      "last_learn_seconds": ((state or {}).get("last_run") or {}).get("learn_seconds")}
            progress(f"  N={n:>3}: F1 {result['f1']:.3f} (P {result['p']:.3f} R {result['r']:.3f})"
                     + (f", model in use {in_use_s} s after the last correction, {result['runs']} retrain(s),"
                        f" last one {result['last_learn_seconds']} s" if n else ""))
            return result


VARIANTS = {
    # name: learn() keyword arguments; "shipped" is what the helper does (helper/nlp/learning.py)
    "shipped (16 corrections + 4 replayed a step)": {},
    "no replay": {"replay_size": 0},
    "heavy replay (16 + 48 a step)": {"replay_per_batch": 48},
}
ONE_SIDED = 40  # "not a request" answers only: does the model drift towards "never a request"?
OTHERS = 800  # comments of the other genres (seen by the base) to check that nothing is forgotten


def variant_curve(base: Path, pool, test, points, genre: str, progress=print) -> dict:
    """Per fine-tuning variant, in-process: F1 on the test comments after learning the first N of the pool,
    F1 on other genres' comments after all of them (forgetting), and both after ONE_SIDED corrections
    that all say "not a request"."""
    from helper.nlp import corpus, learning
    from helper.nlp.classifier import load_classifier
    from helper.nlp.model_input import NoteContext
    from helper.nlp.threads import is_echo

    others = [c for c in corpus.read_notes(CORPUS_DIR / "notes")
              if c.genre != genre and c.kind != "author" and not (c.kind == "reply" and is_echo(c.text))]
    others = random.Random(SEED).sample(others, min(OTHERS, len(others)))
    negatives = [c for c in pool if not c.label][:ONE_SIDED]

    def f1_on(path, rows) -> float:
        clf = load_classifier(path)
        scores = clf.scores([c.text for c in rows], [NoteContext(c.note.title) for c in rows])
        return _f1([c.label for c in rows], [s >= clf.threshold for s in scores])["f1"]

    out = {"base": {"genre": f1_on(base, test), "others": f1_on(base, others)}}
    progress(f"  {'base':<46} genre F1 {out['base']['genre']:.3f}, other genres {out['base']['others']:.3f}")
    with tempfile.TemporaryDirectory(prefix="linktriage-variants-") as tmp:
        target = Path(tmp) / "pipeline"
        for name, kwargs in VARIANTS.items():
            curve, slowest = [], 0.0
            for n in points:
                corrections = [learning.Correction(c.text, c.label, c.note.title) for c in pool[:n]]
                meta = learning.learn(corrections, target, base_dir=base, cache_dir=Path(tmp), **kwargs)
                slowest = max(slowest, meta["seconds"])
                curve.append({"n": n, "f1": f1_on(target, test)})
            others_after = f1_on(target, others)
            learning.learn([learning.Correction(c.text, c.label, c.note.title) for c in negatives], target,
                           base_dir=base, cache_dir=Path(tmp), **kwargs)
            one_sided = {"genre": f1_on(target, test), "others": f1_on(target, others)}
            out[name] = {"curve": curve, "others_after_all": others_after, "one_sided": one_sided,
                         "slowest_learn_seconds": slowest}
            progress(f"  {name:<46} " + "  ".join(f"N={p['n']}: {p['f1']:.3f}" for p in curve)
                     + f"; other genres {others_after:.3f}; after {len(negatives)} 'not a request' only: "
                       f"genre {one_sided['genre']:.3f}, others {one_sided['others']:.3f} (learn ≤ {slowest:.1f} s)")
    return out


def measure_learning(texts, args) -> dict:
    genre = os.environ.get("LINKTRIAGE_LEARNING_GENRE", GENRE)
    cache_root = Path(args.out) if getattr(args, "out", None) else RESULTS_DIR
    cache_root = cache_root / "cache"
    cache_root.mkdir(parents=True, exist_ok=True)
    comments = genre_comments(genre)
    if len(comments) < POOL + 50:
        raise SystemExit(f"bench: genre {genre} has {len(comments)} comments; the curve needs {POOL + 50}")
    pool, test = split(comments)
    print(f"  genre {genre}: {len(comments)} comments, {sum(c.label for c in comments)} requests; "
          f"pool {len(pool)}, test {len(test)}", flush=True)
    base = base_model(genre, cache_root)
    print("  through the HTTP API (automatic retrain, default trigger and idle wait):", flush=True)
    curve = [http_point(base, comments, pool, test, n) for n in POINTS]
    print("  in-process fine-tuning variants (F1 on the same test comments):", flush=True)
    variants = variant_curve(base, pool, test, [n for n in POINTS if n], genre)
    at50 = next(p for p in curve if p["n"] == 50)
    learn_max = max((p["last_learn_seconds"] or 0) for p in curve)
    return {
        "genre": genre, "pool": len(pool), "test": len(test), "base": str(base.name),
        "curve": curve, "variants": variants,
        "goals": [
            {"what": "one retrain (base + corrections), seconds", "measured": learn_max, "goal": GOAL_LEARN_S,
             "met": learn_max <= GOAL_LEARN_S},
            {"what": "50 corrections → model in use, seconds after the last", "measured": at50["seconds_to_model_in_use"],
             "goal": GOAL_IN_USE_S, "met": (at50["seconds_to_model_in_use"] or 1e9) <= GOAL_IN_USE_S},
        ],
    }


def describe_learning(r: dict) -> list[str]:
    lines = [f"genre {r['genre']} held out; {r['pool']} comments to correct, {r['test']} to test",
             "N     F1     P      R      model in use after the last correction"]
    for p in r["curve"]:
        lines.append(f"{p['n']:<5} {p['f1']:.3f}  {p['p']:.3f}  {p['r']:.3f}  "
                     + (f"{p['seconds_to_model_in_use']} s ({p['runs']} retrain(s), last {p['last_learn_seconds']} s)" if p["n"] else "-"))
    return lines
