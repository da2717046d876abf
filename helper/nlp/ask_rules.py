"""The rule layer as a spaCy pipeline component (`linktriage_ask_rules`), saved with each pipeline.

The rules and their logic live in helper/nlp/ask_shapes.py, which the classifier calls without spaCy;
this component applies the same `AskShapes` to a Doc's token texts, so a pipeline loaded with
`spacy.load` (training, evaluation, older exports) scores exactly as the classifier does. `linktriage
train` copies `models/ask_rules.json` into the pipeline (`linktriage_ask_rules/rules.json`), so a
pipeline carries the rules it was evaluated with.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from helper.nlp.ask_shapes import LABEL, RULES_FILE, AskShapes


class AskRules:
    def __init__(self, nlp: Language, name: str = "linktriage_ask_rules", rules: dict | None = None):
        self.name = name
        self.rules: dict = {}
        self.shapes: AskShapes | None = None
        if rules:
            self.set_rules(rules)

    def set_rules(self, rules: dict) -> None:
        self.shapes = AskShapes(rules)
        self.rules = self.shapes.rules
        self.min_score, self.boost_to = self.shapes.min_score, self.shapes.boost_to

    def matches(self, doc) -> bool:
        return self.shapes is not None and self.shapes.matches([t.text for t in doc])

    def __call__(self, doc):
        score = doc.cats.get(LABEL)
        if self.shapes is None or score is None:
            return doc
        boosted = self.shapes.apply(doc.text, score, lambda: [t.text for t in doc])
        if boosted != score:
            doc.cats[LABEL] = boosted
            if "OTHER" in doc.cats:
                doc.cats["OTHER"] = 1.0 - boosted
        return doc

    def pipe(self, docs, batch_size: int = 1000):
        # spaCy wraps a component without pipe() in a per-doc error handler; this skips that.
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples=None, *, nlp=None, rules_path: str | Path | None = None):
        if rules_path is not None:
            self.set_rules(json.loads(Path(rules_path).read_text(encoding="utf-8")))

    def to_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / RULES_FILE).write_text(json.dumps(self.rules, ensure_ascii=False, indent=1), encoding="utf-8")

    def from_disk(self, path, *, exclude=tuple()):
        shapes = AskShapes.from_dir(path)
        if shapes is not None:
            self.set_rules(shapes.rules)
        return self


@Language.factory("linktriage_ask_rules")
def make_ask_rules(nlp: Language, name: str):
    return AskRules(nlp, name)


def add_to(nlp: Language, rules_path: str | Path) -> None:
    """Put the rule layer after the textcat of a trained pipeline, with the rules from rules_path."""
    if "linktriage_ask_rules" in nlp.pipe_names:
        nlp.remove_pipe("linktriage_ask_rules")
    component = nlp.add_pipe("linktriage_ask_rules", last=True)
    component.initialize(rules_path=rules_path)
