"""`smschannel_webhook`'s `locale`: what the engine's rules get from it, and the refusals it takes part in,
with the exact lines a person sees."""

from __future__ import annotations

import re
from typing import Any

import pytest

from smschannel.keywords import LOCALES, Category, KeywordRules
from smschannel.model import WebhookModel
from smschannel.model.base import check, specs_by_name
from smschannel.model.webhook import keyword_rules

BASE: dict[str, Any] = {"name": "in-fr", "vendor": "twilio", "credentials_id": "twcred_0123456789abcdef",
                        "sender_number": "+33612345678"}


def lines(**over: Any) -> list[str]:
    values = {**BASE, **over}
    return [p.line(WebhookModel.address(values)) for p in check(WebhookModel, values)]


def test_locale_defaults_to_english_and_names_every_locale_in_its_description() -> None:
    spec = specs_by_name(WebhookModel)["locale"]
    assert spec.default == "en"
    assert re.findall(r"`([a-z]{2})` \(", spec.description) == list(LOCALES)
    assert lines() == []


def test_keyword_rules_carry_the_locale_and_leave_undeclared_parts_to_it() -> None:
    rules = keyword_rules({**BASE, "locale": "fr", "fuzzy_opt_out": True, "fuzzy_confirm_keywords": None})
    assert rules == KeywordRules(fuzzy_opt_out=True, locale="fr")
    assert rules.confirm_keywords() == ("OUI", "O")
    assert rules.categories()["opt_out"] == Category(LOCALES["fr"].opt_out)
    assert keyword_rules(BASE).locale == "en"  # stored before locale existed
    declared = keyword_rules({**BASE, "locale": "es", "fuzzy_confirm_keywords": ["VALE"]})
    assert declared.confirm_keywords() == ("VALE",)


def test_the_confirm_keywords_in_the_description_are_the_locales() -> None:
    description = specs_by_name(WebhookModel)["fuzzy_confirm_keywords"].description
    for locale in LOCALES.values():
        assert f"{' and '.join(locale.confirm)} in {locale.name}" in description, locale.code


@pytest.mark.parametrize(("over", "line"), [
    ({"locale": "xx"},
     'smschannel_webhook "in-fr": locale must be one of en, fr, es, de, pt or it, got "xx"'),
    ({"locale": "FR"},
     'smschannel_webhook "in-fr": locale must be one of en, fr, es, de, pt or it, got "FR"'),
    ({"locale": 1},
     'smschannel_webhook "in-fr": locale must be text, got 1'),
    ({"locale": "es", "custom": {"keywords": ["Alta"]}},
     'smschannel_webhook "in-fr": custom.keywords: ALTA is already an opt_in keyword (opt_in keeps its default '
     'keywords of locale "es" because it is not declared); a keyword may sit in one category only'),
    ({"locale": "fr", "help": {"keywords": ["AIDE", "Arrêt"]}},
     'smschannel_webhook "in-fr": help.keywords: ARRÊT is already an opt_out keyword (as ARRET: case and accents '
     'do not count; opt_out keeps its default keywords of locale "fr" because it is not declared); a keyword may '
     "sit in one category only"),
    ({"locale": "de", "opt_out": {"keywords": ["STOPP"]}, "opt_in": {"keywords": ["Stöpp"]}},
     'smschannel_webhook "in-fr": opt_in.keywords: STÖPP is already an opt_out keyword (as STOPP: case and '
     "accents do not count); a keyword may sit in one category only"),
    ({"type": "feedback", "vendor": "infobip", "locale": "fr"},
     'smschannel_webhook "in-fr": locale: keyword rules apply to inbound webhooks only, not to type = "feedback"'),
], ids=["unknown", "upper-case", "not-text", "es-default", "fr-accent-and-default", "declared-accent", "feedback"])
def test_refusals(over: dict[str, Any], line: str) -> None:
    assert line in lines(**over)


def test_a_keyword_that_is_a_default_only_in_another_locale_is_allowed() -> None:
    assert lines(custom={"keywords": ["ALTA"]}) == []
    assert lines(locale="es", opt_in={"keywords": ["START"]}, custom={"keywords": ["ALTA"]}) == []
    assert lines(locale="fr", custom={"keywords": ["QUIT"]}) == []


def test_an_unknown_locale_is_one_line_and_no_other_rule_trips_on_it() -> None:
    assert lines(locale="klingon", custom={"keywords": ["STOP"]}) == [
        'smschannel_webhook "in-fr": locale must be one of en, fr, es, de, pt or it, got "klingon"']
