"""A small rule layer after the learned textcat: explicit link asks it scores just under the line.

"蹲一个沙发链接", "求分享地毯的lj": an ask word, a few words, a link word. The BOW model sees these
as n-grams and can miss a new filler between the ask and the link; a spaCy Matcher over the same
tokens catches the shape. The rules only *raise* a score, and only when

- the model already leans that way (raw REQUEST ≥ `min_score`), so a link ask the model firmly
  rejects (求报名链接, a form) stays rejected,
- and none of the `exceptions` occur in the text (sellers: 需要的私我 / 评论区 / 已上链接; buyers
  sharing: 同一个链接…; finished: 蹲到了; 链接 as "connect").

The rules live in `models/ask_rules.json`; `linktriage train` copies them into the pipeline
(component `linktriage_ask_rules`, saved with it as `ask_rules/rules.json`), so a pipeline carries
the rules it was evaluated with. Docs the rules cannot change (already requests, or below
`min_score`) return at once, so the layer costs next to nothing per comment.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher

LABEL = "REQUEST"
RULES_FILE = "rules.json"


class AskRules:
    """Ask words and link words are found by a Matcher of exact token sequences (no wildcards, which
    cost ~0.2 ms a comment); the gap between them is checked here: at most `max_gap` tokens, none of
    them punctuation or space, so the ask and the link sit in one clause."""

    def __init__(self, nlp: Language, name: str = "linktriage_ask_rules", rules: dict | None = None):
        self.name = name
        self.vocab = nlp.vocab
        self.rules: dict = {}
        if rules:
            self.set_rules(rules)

    def set_rules(self, rules: dict) -> None:
        self.rules = dict(rules)
        self.min_score = float(rules["min_score"])
        self.boost_to = float(rules["boost_to"])
        self.max_gap = int(rules["max_gap"])
        self.exceptions = tuple(rules["exceptions"])
        # A comment without any link word cannot match: a substring test skips the matcher for it.
        self.link_markers = tuple("".join(link) for link in rules["link"])
        self.matcher = Matcher(self.vocab)
        self.matcher.add("ASK", [[{"ORTH": t} for t in ask] for ask in rules["ask"]])
        self.matcher.add("LINK", [[{"ORTH": t} for t in link] for link in rules["link"]])
        # "链接在哪里呀", "lj呢": a link word asked after, not before (optional in older rule files).
        self.where_gap = int(rules.get("where_gap", 0))
        if rules.get("where"):
            self.matcher.add("WHERE", [[{"ORTH": t} for t in where] for where in rules["where"]])
        self._ask_id = self.vocab.strings["ASK"]
        self._where_id = self.vocab.strings["WHERE"]

    def matches(self, doc) -> bool:
        """An ask word followed, in the same clause and within max_gap tokens, by a link word; or a link
        word followed within where_gap tokens by a where word."""
        ask_ends, link_spans, where_starts = [], [], []
        for match_id, start, end in self.matcher(doc):
            if match_id == self._ask_id:
                ask_ends.append(end)
            elif match_id == self._where_id:
                where_starts.append(start)
            else:
                link_spans.append((start, end))
        for ask_end in ask_ends:
            for link_start, _ in link_spans:
                if 0 <= link_start - ask_end <= self.max_gap and self._one_clause(doc, ask_end, link_start):
                    return True
        for _, link_end in link_spans:
            for where_start in where_starts:
                if 0 <= where_start - link_end <= self.where_gap and self._one_clause(doc, link_end, where_start):
                    return True
        return False

    @staticmethod
    def _one_clause(doc, start: int, end: int) -> bool:
        return not any(t.is_punct or t.is_space for t in doc[start:end])

    def __call__(self, doc):
        if not self.rules:
            return doc
        score = doc.cats.get(LABEL)
        if score is None or score >= self.boost_to or score < self.min_score:
            return doc
        text = doc.text
        if not any(m in text for m in self.link_markers) or any(e in text for e in self.exceptions):
            return doc
        if not self.matches(doc):
            return doc
        doc.cats[LABEL] = self.boost_to
        if "OTHER" in doc.cats:
            doc.cats["OTHER"] = 1.0 - self.boost_to
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
        rules_path = Path(path) / RULES_FILE
        if rules_path.is_file():
            self.set_rules(json.loads(rules_path.read_text(encoding="utf-8")))
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
