"""The models as the single source: specs derived from them, rules, fingerprints, messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smschannel.emulators import SinchState, TwilioState, seed_sinch, seed_twilio
from smschannel.emulators.local_vendors import SINCH_SEED, TWILIO_SEED
from smschannel.model import RESOURCES, ConfigurationModel, SinchCredentialsModel, TwilioCredentialsModel
from smschannel.model.base import ResourceModel, attribute_specs, check, specs_by_name
from smschannel.model.secrets import SecretRef, fingerprint
from smschannel.terraform.schema import tf_schema

ROOT = Path(__file__).resolve().parents[2]


def messages(model: type[ResourceModel], values: dict[str, object]) -> list[str]:
    return [p.message for p in check(model, values)]


def test_a_secret_becomes_value_env_and_fingerprint() -> None:
    specs = specs_by_name(TwilioCredentialsModel)
    assert specs["auth_token"].sensitive and not specs["auth_token"].computed
    assert not specs["auth_token_env"].sensitive and specs["auth_token_env"].optional
    assert specs["auth_token_fingerprint"].computed and not specs["auth_token_fingerprint"].optional
    assert next(s.name for s in attribute_specs(TwilioCredentialsModel)) == "id"


def test_provider_schema_flags_come_from_the_model() -> None:
    attrs = {a.name: a for a in tf_schema(ConfigurationModel).attributes}
    assert attrs["name"].requires_replace and attrs["channel"].requires_replace
    assert attrs["subdomain_id"].requires_replace and not attrs["description"].requires_replace
    assert attrs["enabled"].optional and attrs["enabled"].computed  # shows its default
    assert attrs["execution_field"].optional and not attrs["execution_field"].computed  # follows the sandbox
    assert attrs["status"].computed and not attrs["status"].optional
    assert attrs["sender_number"].required
    secret = {a.name: a for a in tf_schema(SinchCredentialsModel).attributes}["api_token"]
    assert secret.sensitive and secret.optional


def test_every_attribute_is_documented_in_full_sentences() -> None:
    for model in RESOURCES:
        assert model.__doc__ and model.__doc__.strip().endswith(".")
        for spec in attribute_specs(model):
            assert spec.description.endswith("."), f"{model.type_name}.{spec.name}"
            assert spec.description[0].isupper() or spec.description[0] == "`", spec.name


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("+14155550100", None),
        ("12345", None),
        ("ACME Shop", None),
        ("4155550100", "sender_number must be an E.164 number (starting with +), a short code of 5-6 digits or an "
                       'alphanumeric sender ID of 1-11 characters, got "4155550100" (10 digits)'),
        ("+1 415 555 0100", "sender_number must be written in E.164 form without spaces or punctuation: "
                            '+14155550100, got "+1 415 555 0100"'),
        ("+1415555010", 'sender_number is not a valid phone number for its country code, got "+1415555010"'),
        ("TwelveChars!", "sender_number must be an E.164 number, a short code of 5-6 digits or an alphanumeric "
                         'sender ID of 1-11 letters, digits and inner spaces, got "TwelveChars!"'),
    ],
)
def test_sender_numbers(value: str, message: str | None) -> None:
    base = {"name": "c", "channel": "sms", "sms_type": "marketing", "credentials_id": "x"}
    assert messages(ConfigurationModel, {**base, "sender_number": value}) == ([message] if message else [])


def test_unknown_values_are_skipped() -> None:
    unknown = object()
    values = {"name": unknown, "channel": "sms", "sms_type": "marketing", "credentials_id": unknown,
              "sender_number": unknown}
    assert check(ConfigurationModel, values, is_unknown=lambda v: v is unknown) == []


def test_numbers_where_text_is_expected_are_refused_not_coerced() -> None:
    assert messages(TwilioCredentialsModel, {"name": 7, "account_sid": "AC" + "0" * 32, "auth_token_env": "T"}) == [
        "name must be text, got 7"
    ]


def test_fingerprints_are_keyed_and_change_with_the_secret() -> None:
    a, b = fingerprint(b"k1", "secret"), fingerprint(b"k2", "secret")
    assert a != b and a == fingerprint(b"k1", "secret") and a != fingerprint(b"k1", "secret2")
    assert re.fullmatch(r"hmac-sha256:[0-9a-f]{32}", a) and "secret" not in a


def test_secret_ref_resolves_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_TOKEN", "abc")
    assert SecretRef(env="MY_TOKEN").resolve() == "abc"
    assert SecretRef(env="UNSET_TOKEN").resolve() is None
    assert SecretRef(value="v").resolve() == "v"


def test_main_py_defaults_are_the_accounts_that_up_seeds() -> None:
    from smschannel.emulators import InfobipState, SinchConversationState, seed_infobip, seed_sinch_conversation
    from smschannel.emulators.local_vendors import CONVERSATION_SEED, INFOBIP_SEED

    text = (ROOT / "main.py").read_text()
    twilio, sinch = seed_twilio(TwilioState(), TWILIO_SEED), seed_sinch(SinchState(), SINCH_SEED)
    infobip = seed_infobip(InfobipState(), INFOBIP_SEED)
    conversation = seed_sinch_conversation(SinchConversationState(), CONVERSATION_SEED)
    for value in (twilio["account_sid"], twilio["phone_numbers"][0], sinch["service_plan_id"],
                  sinch["phone_numbers"][0], infobip["phone_numbers"][0], conversation["project_id"],
                  conversation["mms_app_id"], conversation["rcs_app_id"]):
        assert f'"{value}"' in text
