"""Sender rules per destination country: one table, read by the configuration's plan-time rule (at synth,
at plan and in the registry), by the plan's warnings and by the docs.

A configuration may list the `countries` it sends to (ISO 3166-1 alpha-2 codes). Its `sender_number` is
then checked against each country's row of `SENDER_RULES`:

- an alphanumeric sender ID is refused where operators do not carry one (`alphanumeric = "refused"`),
  must fit the country's length, and is reported where it has to be registered first;
- a short code reaches the subscribers of one country only, so it serves one country;
- a long code is refused where operators accept only domestic long codes (`foreign_long_codes = False`);
  whether a long code is domestic comes from `phonenumbers` (the number's country calling code).

Countries without a row get the checks that hold everywhere (short codes are national). Each row names
its sources; the docs render the table with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import AfterValidator, BeforeValidator

from smschannel.errors import Problem
from smschannel.model.text import shown

Alphanumeric = Literal["allowed", "registration", "refused"]


@dataclass(frozen=True)
class CountryRule:
    """What one country's operators accept as a sender."""

    name: str
    alphanumeric: Alphanumeric
    """`allowed`; `registration`: only once registered (`registration` says where); `refused`."""
    foreign_long_codes: bool = True
    """Whether a long code of another country calling code reaches subscribers here."""
    alphanumeric_length: tuple[int, int] = (1, 11)
    registration: str = ""
    """Where an alphanumeric sender ID is registered, when `alphanumeric = "registration"`."""
    sources: tuple[str, ...] = ()


SENDER_RULES: Mapping[str, CountryRule] = {
    "US": CountryRule(
        "United States", "refused", foreign_long_codes=False,
        sources=("https://www.twilio.com/en-us/guidelines/us/sms",
                 "https://help.twilio.com/articles/360038173654")),
    "CA": CountryRule(
        "Canada", "refused", foreign_long_codes=False,
        sources=("https://www.twilio.com/en-us/guidelines/ca/sms",
                 "https://help.twilio.com/articles/360038173654")),
    "GB": CountryRule(
        "United Kingdom", "allowed",
        sources=("https://www.twilio.com/en-us/guidelines/gb/sms",)),
    "FR": CountryRule(
        "France", "allowed",
        sources=("https://www.twilio.com/en-us/guidelines/fr/sms",)),
    "DE": CountryRule(
        "Germany", "allowed",
        sources=("https://www.twilio.com/en-us/guidelines/de/sms",)),
    "ES": CountryRule(
        "Spain", "registration", alphanumeric_length=(3, 11),
        registration="the CNMC Alias Registry (Order TDF/149/2025): operators block unregistered aliases",
        sources=("https://www.twilio.com/en-us/guidelines/es/sms",
                 "https://www.infobip.com/docs/essentials/europe-registration/"
                 "spain-alphanumeric-sender-id-alias-registration-guidelines")),
    "IT": CountryRule(
        "Italy", "registration",
        registration="the AGCOM alias register (resolution 42/13/CIR), through the messaging provider",
        sources=("https://www.twilio.com/en-us/guidelines/it/sms", "https://www.agcom.it/node/1149")),
    "IN": CountryRule(
        "India", "registration",
        registration="a DLT portal of the Indian operators (TRAI), with the entity ID and the content templates",
        sources=("https://www.twilio.com/en-us/guidelines/in/sms",
                 "https://help.twilio.com/articles/21162166457755")),
    "BR": CountryRule(
        "Brazil", "refused",
        sources=("https://www.twilio.com/en-us/guidelines/br/sms",
                 "https://www.twilio.com/en-us/guidelines/br/short-code")),
    "AU": CountryRule(
        "Australia", "registration", alphanumeric_length=(2, 11),
        registration="the ACMA SMS Sender ID Register (from 1 July 2026 unregistered IDs show as \"Unverified\")",
        sources=("https://www.twilio.com/en-us/guidelines/au/sms",
                 "https://www.acma.gov.au/31-ensure-your-sender-ids-meet-valid-use-case-rules")),
}
"""The countries with rules of their own, by ISO 3166-1 alpha-2 code."""


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code that `phonenumbers` knows (upper case)."""
    if value not in phonenumbers.SUPPORTED_REGIONS:
        hint = f" (use {shown(value.upper())})" if value.upper() in phonenumbers.SUPPORTED_REGIONS else ""
        raise ValueError(f"must be ISO 3166-1 alpha-2 country codes such as US or FR, got {shown(value)}{hint}")
    return value


def _require_str(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {shown(value)}")
    return value


CountryCode = Annotated[str, BeforeValidator(_require_str), AfterValidator(country_code)]


def sender_kind(sender: str) -> Literal["long_code", "short_code", "alphanumeric"]:
    if sender.startswith("+"):
        return "long_code"
    return "short_code" if sender.isdigit() else "alphanumeric"


def _calling_code(number: str) -> int | None:
    try:
        code = phonenumbers.parse(number, None).country_code
    except phonenumbers.NumberParseException:
        return None
    return int(code) if code is not None else None


def sender_problems(values: Mapping[str, Any]) -> list[Problem]:
    """The rules of `SENDER_RULES` that `sender_number` breaks in `countries` (a configuration's rule)."""
    sender, countries = values.get("sender_number"), values.get("countries")
    if not isinstance(sender, str) or not isinstance(countries, Sequence) or not countries:
        return []
    kind = sender_kind(sender)
    problems: list[Problem] = []
    if kind == "short_code" and len(set(countries)) > 1:
        problems.append(Problem("sender_number", f"sender_number: the short code {sender} reaches the subscribers "
                                                 f"of one country only, but countries lists {', '.join(countries)}: "
                                                 "declare one configuration per country"))
    for code in dict.fromkeys(countries):
        rule = SENDER_RULES.get(code)
        if rule is None:
            continue
        if kind == "alphanumeric" and rule.alphanumeric == "refused":
            problems.append(Problem("countries", f"countries: operators in {rule.name} ({code}) do not carry "
                                                 f"alphanumeric sender IDs such as {shown(sender)}: send there from a "
                                                 "long code, toll-free number or short code"))
        elif kind == "alphanumeric" and not rule.alphanumeric_length[0] <= len(sender) <= rule.alphanumeric_length[1]:
            low, high = rule.alphanumeric_length
            problems.append(Problem("sender_number", f"sender_number: an alphanumeric sender ID for {rule.name} "
                                                     f"({code}) has {low} to {high} characters, got {shown(sender)}"))
        elif kind == "long_code" and not rule.foreign_long_codes:
            home = phonenumbers.country_code_for_region(code)
            if _calling_code(sender) != home:
                problems.append(Problem("sender_number", f"sender_number: operators in {rule.name} ({code}) accept "
                                                         f"only domestic long codes (+{home}), got {sender}"))
    return problems


def registration_notes(sender: str, countries: Sequence[str], *, registered: Sequence[str] = ()) -> list[str]:
    """Where `sender` must be registered before it reaches people (countries in `registered` are left out:
    the credentials carry their registration)."""
    if sender_kind(sender) != "alphanumeric":
        return []
    return [f"the alphanumeric sender ID {shown(sender)} reaches people in {rule.name} ({code}) only once "
            f"registered with {rule.registration}"
            for code in dict.fromkeys(countries)
            if (rule := SENDER_RULES.get(code)) is not None and rule.alphanumeric == "registration"
            and code not in registered]


def rules_markdown() -> str:
    """The table as the docs show it."""
    rows = ["| country | alphanumeric sender IDs | long codes of other countries | sources |",
            "| --- | --- | --- | --- |"]
    for code, rule in SENDER_RULES.items():
        low, high = rule.alphanumeric_length
        alpha = {"allowed": f"allowed ({low}-{high} characters)",
                 "refused": "refused",
                 "registration": f"after registration with {rule.registration} ({low}-{high} characters)"}
        foreign = "accepted" if rule.foreign_long_codes else "refused: domestic long codes only"
        sources = ", ".join(f"[{i}]({url})" for i, url in enumerate(rule.sources, 1))
        rows.append(f"| {rule.name} (`{code}`) | {alpha[rule.alphanumeric]} | {foreign} | {sources} |")
    return "\n".join(rows)


__all__ = [
    "SENDER_RULES",
    "CountryCode",
    "CountryRule",
    "country_code",
    "registration_notes",
    "rules_markdown",
    "sender_kind",
    "sender_problems",
]
