"""The keyword engine: decides what one inbound message does (SPEC.md, "Keyword engine and fuzzy opt-out").

Pure and deterministic: no I/O and no clock; the caller passes the stored pending state and the time.

Pending state, decided where SPEC.md is silent:

- A fuzzy confirmation is live while ``now - since <= fuzzy_confirm_window_minutes`` (a `since`
  in the future counts as live). A double opt-in pending never expires here.
- An expired pending is dropped: the message is handled as if there were none, and the decision's
  `pending` is None unless the message opens a new one. So YES after the window is an ordinary
  message (an opt-in keyword by default).
- A live pending survives messages that neither change consent nor open a pending (help, custom,
  nothing matched): the decision carries it unchanged, same `since`. Opting in or out clears it;
  a double opt-in keyword or a new fuzzy match replaces it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, NamedTuple

from smschannel.keywords.defaults import STOPALL
from smschannel.keywords.fuzzy import OptOutMatcher
from smschannel.keywords.normalize import normalize
from smschannel.keywords.rules import CategoryName, KeywordRules, shown

__all__ = ["Action", "Decision", "Engine", "Pending"]

Action = Literal["opt_out", "opt_in", "double_opt_in_pending", "help", "custom", "fuzzy_prompt", "none"]

_ACTIONS: dict[CategoryName, Action] = {
    "opt_out": "opt_out",
    "opt_in": "opt_in",
    "double_opt_in": "double_opt_in_pending",
    "help": "help",
    "custom": "custom",
}


class Pending(NamedTuple):
    """A confirmation the profile owes: a fuzzy opt-out to confirm, or a double opt-in to complete.

    An immutable tuple, like `Decision`: cheap to build on every inbound message."""

    kind: Literal["fuzzy_confirm", "double_opt_in"]
    since: datetime
    """When the prompt was sent; compared with the `now` passed to `Engine.decide`."""


class Decision(NamedTuple):
    """What one inbound message does (an immutable tuple: decisions that depend only on the keyword are
    built once and shared)."""

    action: Action
    keyword: str | None
    """The keyword that matched, upper case and spelt as declared (ARRÊT matches ``arret`` and reports
    ARRÊT; STOPALL reports STOP; a confirmation reports the confirm keyword), or for a fuzzy prompt the
    opt-out keyword resembled (None for a phrase naming none)."""
    reply: str | None
    """Text to send back, or None."""
    pending: Pending | None
    """The pending state to store after this message; None clears it."""
    consent: Literal["opted_out", "opted_in"] | None
    """The consent change this decision makes, or None."""
    fuzzy_score: float | None = None
    """For a fuzzy prompt, the similarity in 0..1 to the resembled keyword (1.0 for a phrase)."""


class Engine:
    """The keyword rules of one webhook, compiled once; `decide` classifies each inbound message."""

    def __init__(self, rules: KeywordRules) -> None:
        """Compile `rules`: resolve the locale's defaults, normalise keywords (case and accents folded),
        prepare fuzzy matching and fixed answers."""
        self.rules = rules
        categories = rules.categories()
        self._replies: dict[CategoryName, str | None] = {name: c.reply for name, c in categories.items()}
        self._exact: dict[str, tuple[CategoryName, str]] = {}
        for name, category in categories.items():
            for keyword in category.keywords:
                form = normalize(keyword)
                if form:
                    self._exact.setdefault(form, (name, shown(keyword)))
        stop = self._exact.get("stop")
        if stop is not None and stop[0] == "opt_out":
            self._exact.setdefault(STOPALL.casefold(), stop)
        self._confirm: dict[str, str] = {}
        for keyword in rules.confirm_keywords():
            form = normalize(keyword)
            if form:
                self._confirm.setdefault(form, shown(keyword))
        self._window = timedelta(minutes=rules.fuzzy_confirm_window_minutes)
        self._matcher: OptOutMatcher | None = None
        if rules.fuzzy_opt_out:
            opt_out = [(form, keyword) for form, (name, keyword) in self._exact.items() if name == "opt_out"]
            others = [form for form, (name, _) in self._exact.items() if name != "opt_out"]
            self._matcher = OptOutMatcher(opt_out, not_typos=others, locale=rules.language)
        self._opt_out_reply = self._replies["opt_out"]
        self._nothing = Decision("none", None, rules.default_reply, None, None)
        self._fixed = {
            form: self._on_keyword(name, keyword, None, datetime.min)
            for form, (name, keyword) in self._exact.items()
            if name != "double_opt_in"
        }
        """Decisions that depend on nothing but the keyword, for messages arriving with no live pending."""

    def _on_keyword(self, name: CategoryName, keyword: str, live: Pending | None, now: datetime) -> Decision:
        """Return the decision for an exact keyword of category `name`, given the live pending state."""
        reply = self._replies[name]
        if name == "opt_out":
            return Decision("opt_out", keyword, reply, None, "opted_out")
        if name == "opt_in":
            return Decision("opt_in", keyword, reply, None, "opted_in")
        if name == "double_opt_in":
            return Decision("double_opt_in_pending", keyword, reply, Pending("double_opt_in", now), None)
        return Decision(_ACTIONS[name], keyword, reply, live, None)

    def _live(self, pending: Pending | None, now: datetime) -> Pending | None:
        """Return `pending` if it is still open at `now`, else None."""
        if pending is None or pending.kind == "double_opt_in":
            return pending
        return pending if now - pending.since <= self._window else None

    def decide(self, text: str, *, pending: Pending | None, now: datetime) -> Decision:
        """Decide what inbound `text` does, given the stored `pending` state and the current time `now`.

        Steps, in SPEC.md's order: normalise; a live fuzzy confirmation plus a confirm keyword opts
        out; an exact keyword, category by category; a fuzzy opt-out prompt when `fuzzy_opt_out` is
        on; otherwise the default reply. `now` and `pending.since` must both be aware (or both naive).
        """
        form = normalize(text)
        live = None if pending is None else self._live(pending, now)
        if live is not None and live.kind == "fuzzy_confirm":
            confirm = self._confirm.get(form)
            if confirm is not None:
                return Decision("opt_out", confirm, self._opt_out_reply, None, "opted_out")
        if live is None:
            fixed = self._fixed.get(form)
            if fixed is not None:
                return fixed
        exact = self._exact.get(form)
        if exact is not None:
            return self._on_keyword(exact[0], exact[1], live, now)
        if self._matcher is not None:
            match = self._matcher.match(form)
            if match is not None:
                prompt, reply = Pending("fuzzy_confirm", now), self.rules.fuzzy_auto_reply
                return Decision("fuzzy_prompt", match.keyword, reply, prompt, None, match.score)
        if live is None:
            return self._nothing
        return Decision("none", None, self.rules.default_reply, live, None)
