"""The keyword engine, step by step in SPEC.md's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smschannel.keywords import (
    DEFAULT_HELP,
    DEFAULT_OPT_IN,
    DEFAULT_OPT_OUT,
    Category,
    Conflict,
    Decision,
    Engine,
    KeywordRules,
    Pending,
    keyword_conflicts,
    normalize,
)

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
FUZZY = KeywordRules(
    opt_out=Category(("STOP", "CANCEL"), reply="You are unsubscribed."),
    opt_in=Category(("START", "YES"), reply="Welcome back."),
    fuzzy_opt_out=True,
    fuzzy_auto_reply="Reply YES to stop all texts.",
    default_reply="Sorry, we did not understand.",
)


def decide(rules: KeywordRules, text: str, pending: Pending | None = None, now: datetime = NOW) -> Decision:
    return Engine(rules).decide(text, pending=pending, now=now)


def prompt(minutes_ago: float) -> Pending:
    return Pending("fuzzy_confirm", NOW - timedelta(minutes=minutes_ago))


# 1. normalise


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("STOP", "stop"),
        (" Stop! ", "stop"),
        ("\u201cStop\u201d", "stop"),
        ("**stop**", "stop"),
        ("Stop 🛑", "stop"),
        ("\uff33\uff34\uff2f\uff30", "stop"),
        ("STOP\t\n  ALL", "stop all"),
        ("opt-out!", "opt-out"),
        ("Stra\u00dfe", "strasse"),
        ("cafe\u0301", "cafe"),  # accents fold: ARRÊT = ARRET
        ("caf\u00e9", "cafe"),
        ("¿Qué?", "que"),
        ("Alto! ¿Quién es?", "alto! quien es"),  # ¿ ¡ « » read as spaces
        ("«\u00a0Stop\u00a0»", "stop"),
        ("Straße ¿", "strasse"),  # not Latin-1 once folded: the general path agrees
        ("¿Qué? 🛑", "que"),
        ("ARRÊT", "arret"),
        ("Désinscrire", "desinscrire"),
        ("NÃO", "nao"),
        ("Sì!", "si"),
        ("Kündigen", "kundigen"),
        ("cœur", "coeur"),
        ("İ", "i"),
        ("\u0928\u092e\u0938\u094d\u0924\u0947", "\u0928\u092e\u0938\u094d\u0924\u0947"),  # Devanagari signs stay
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize(raw: str, normalised: str) -> None:
    assert normalize(raw) == normalised


# 2. pending fuzzy confirmation + confirm keyword


@pytest.mark.parametrize("text", ["YES", "yes", "Y", "y!"])
@pytest.mark.parametrize("minutes_ago", [0, 59, 60])
def test_confirm_inside_window_opts_out_with_the_opt_out_reply(text: str, minutes_ago: int) -> None:
    decision = decide(FUZZY, text, prompt(minutes_ago))
    expected = Decision("opt_out", normalize(text).upper(), "You are unsubscribed.", None, "opted_out")
    assert decision == expected


def test_confirm_after_the_window_is_an_ordinary_message() -> None:
    assert decide(FUZZY, "YES", prompt(61)) == Decision("opt_in", "YES", "Welcome back.", None, "opted_in")
    expired = decide(FUZZY, "Y", prompt(61))
    assert expired == Decision("none", None, "Sorry, we did not understand.", None, None)


def test_confirm_without_pending_is_an_ordinary_message() -> None:
    assert decide(KeywordRules(), "YES").action == "opt_in"
    assert decide(KeywordRules(), "Y") == Decision("none", None, None, None, None)


def test_confirm_window_and_keywords_are_configurable() -> None:
    rules = KeywordRules(
        fuzzy_opt_out=True,
        fuzzy_confirm_keywords=("CONFIRM",),
        fuzzy_confirm_window_minutes=5,
    )
    assert decide(rules, "Confirm.", prompt(5)).consent == "opted_out"
    assert decide(rules, "confirm", prompt(6)).action == "none"
    assert decide(rules, "YES", prompt(1)).action == "opt_in"


def test_a_double_opt_in_pending_is_not_confirmed_by_a_fuzzy_confirm_keyword() -> None:
    pending = Pending("double_opt_in", NOW)
    expected = Decision("none", None, "Sorry, we did not understand.", pending, None)
    assert decide(FUZZY, "Y", pending) == expected


def test_a_live_pending_survives_messages_that_change_nothing() -> None:
    pending = prompt(10)
    assert decide(FUZZY, "what is this?", pending).pending is pending
    assert decide(FUZZY, "HELP", pending).pending is pending
    assert decide(FUZZY, "y", pending).consent == "opted_out"


def test_opting_in_or_out_clears_a_live_pending_and_a_new_prompt_replaces_it() -> None:
    assert decide(FUZZY, "START", prompt(10)).pending is None
    assert decide(FUZZY, "STOP", prompt(10)).pending is None
    assert decide(FUZZY, "stpo", prompt(10)).pending == Pending("fuzzy_confirm", NOW)


def test_an_aware_since_in_the_future_is_live() -> None:
    assert decide(FUZZY, "yes", prompt(-5)).consent == "opted_out"


# 3. exact keywords, category by category


@pytest.mark.parametrize("keyword", DEFAULT_OPT_OUT)
def test_default_opt_out_keywords(keyword: str) -> None:
    assert decide(KeywordRules(), keyword.lower()) == Decision("opt_out", keyword, None, None, "opted_out")


@pytest.mark.parametrize("keyword", DEFAULT_OPT_IN)
def test_default_opt_in_keywords(keyword: str) -> None:
    assert decide(KeywordRules(), keyword.title()) == Decision("opt_in", keyword, None, None, "opted_in")


@pytest.mark.parametrize("keyword", DEFAULT_HELP)
def test_default_help_keywords(keyword: str) -> None:
    assert decide(KeywordRules(), f"{keyword}?") == Decision("help", keyword, None, None, None)


@pytest.mark.parametrize("text", ["stop", "STOP", "sToP", "Stop.", "STOPALL", "stopall!"])
def test_keywords_are_case_insensitive_and_stopall_counts_as_stop(text: str) -> None:
    assert decide(FUZZY, text) == Decision("opt_out", "STOP", "You are unsubscribed.", None, "opted_out")


def test_declared_category_replaces_its_defaults() -> None:
    rules = KeywordRules(
        opt_out=Category(("ARRET",), reply="Bye."),
        opt_in=Category(("JOIN",)),
        help=Category(("AIDE",), reply="Call us."),
    )
    assert decide(rules, "arret") == Decision("opt_out", "ARRET", "Bye.", None, "opted_out")
    assert decide(rules, "AIDE") == Decision("help", "AIDE", "Call us.", None, None)
    assert decide(rules, "join").action == "opt_in"
    for former_default in ("STOP", "STOPALL", "NO", "YES", "START", "HELP", "INFO"):
        assert decide(rules, former_default).action == "none"


def test_stopall_follows_stop_into_a_declared_opt_out() -> None:
    assert decide(KeywordRules(opt_out=Category(("stop",))), "STOPALL").keyword == "STOP"


def test_custom_keywords_record_an_event_and_reply() -> None:
    rules = KeywordRules(custom=Category(("PROMO", "Deals"), reply="Here are today's deals."))
    decision = decide(rules, "deals!")
    assert decision == Decision("custom", "DEALS", "Here are today's deals.", None, None)


def test_double_opt_in_flow() -> None:
    rules = KeywordRules(
        double_opt_in=Category(("JOIN",), reply="Reply YES to confirm your subscription."),
        opt_in=Category(("YES",), reply="You are subscribed."),
    )
    engine = Engine(rules)
    asked = engine.decide("Join", pending=None, now=NOW)
    assert asked == Decision(
        "double_opt_in_pending",
        "JOIN",
        "Reply YES to confirm your subscription.",
        Pending("double_opt_in", NOW),
        None,
    )
    later = NOW + timedelta(days=2)
    chatter = engine.decide("is this free?", pending=asked.pending, now=later)
    assert chatter.pending is asked.pending
    confirmed = engine.decide("yes", pending=chatter.pending, now=later)
    assert confirmed == Decision("opt_in", "YES", "You are subscribed.", None, "opted_in")
    assert engine.decide("STOP", pending=asked.pending, now=later).pending is None


def test_no_double_opt_in_keywords_unless_declared() -> None:
    assert Engine(KeywordRules()).rules.categories().keys() == {"opt_out", "opt_in", "help"}


@pytest.mark.parametrize(
    ("text", "action"),
    [("subscribe", "opt_in"), ("Start", "opt_in"), ("stip", "custom"), ("info", "help"), ("NO", "opt_out")],
)
def test_exact_match_of_another_category_is_never_fuzzy(text: str, action: str) -> None:
    rules = KeywordRules(custom=Category(("STIP",)), fuzzy_opt_out=True)
    assert decide(rules, text).action == action


def test_keyword_of_another_category_is_not_read_as_a_typo_inside_a_message() -> None:
    rules = KeywordRules(custom=Category(("STIP",)), fuzzy_opt_out=True)
    assert decide(rules, "stip please").action == "none"
    assert decide(KeywordRules(fuzzy_opt_out=True), "stip please").action == "fuzzy_prompt"


def test_first_category_wins_when_rules_conflict() -> None:
    assert decide(KeywordRules(help=Category(("STOP",))), "stop").action == "opt_out"


# 4. fuzzy opt-out


def test_fuzzy_prompt_sends_the_auto_reply_and_opens_a_confirmation() -> None:
    decision = decide(FUZZY, "CANCIL")
    assert decision == Decision(
        "fuzzy_prompt", "CANCEL", "Reply YES to stop all texts.", Pending("fuzzy_confirm", NOW), None, 5 / 6
    )


def test_fuzzy_prompt_without_auto_reply_still_opens_a_confirmation() -> None:
    decision = decide(KeywordRules(fuzzy_opt_out=True), "please stop texting me")
    assert (decision.action, decision.reply, decision.keyword) == ("fuzzy_prompt", None, "STOP")
    assert decision.pending == Pending("fuzzy_confirm", NOW)


def test_phrase_without_a_keyword_reports_none() -> None:
    decision = decide(FUZZY, "take me off your list")
    assert (decision.action, decision.keyword, decision.fuzzy_score) == ("fuzzy_prompt", None, 1.0)


def test_fuzzy_resembles_declared_opt_out_keywords_only() -> None:
    rules = KeywordRules(opt_out=Category(("ARRET",)), fuzzy_opt_out=True)
    assert decide(rules, "arrte").keyword == "ARRET"
    assert decide(rules, "stpo").action == "none"


def test_fuzzy_off_means_no_prompt() -> None:
    rules = KeywordRules(fuzzy_auto_reply="Reply YES.", default_reply="Hi!")
    for text in ("stpo", "CANCIL", "please stop texting me", "unsubscribe me"):
        assert decide(rules, text) == Decision("none", None, "Hi!", None, None)


# 5. default reply


def test_default_reply_when_nothing_matches() -> None:
    assert decide(FUZZY, "What time do you open?") == Decision(
        "none", None, "Sorry, we did not understand.", None, None
    )
    assert decide(FUZZY, "") == Decision("none", None, "Sorry, we did not understand.", None, None)
    assert decide(KeywordRules(), "hello") == Decision("none", None, None, None, None)


# keyword conflicts, for validation


def test_keyword_conflicts() -> None:
    assert keyword_conflicts(KeywordRules()) == []
    opt_in_with_stop = KeywordRules(opt_in=Category(("Stop", "JOIN")))
    assert keyword_conflicts(opt_in_with_stop) == [Conflict("STOP", "opt_out", "opt_in", "STOP")]
    assert keyword_conflicts(KeywordRules(help=Category(("stopall",)))) == [
        Conflict("STOPALL", "opt_out", "help", "STOPALL")
    ]
    assert keyword_conflicts(KeywordRules(custom=Category(("help", "INFO!")))) == [
        Conflict("HELP", "help", "custom", "HELP"),
        Conflict("INFO", "help", "custom", "INFO"),
    ]
    assert keyword_conflicts(KeywordRules(opt_out=Category(("CANCEL",)), help=Category(("stopall",)))) == []
