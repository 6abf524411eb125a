"""Inputs that used to break the registry (each a 500 or worse), now refused in one line or kept
within limits; and the request bodies documented per object type in the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from smschannel.local import LocalStack
from smschannel.model import WebhookModel
from smschannel.registry import storage
from smschannel.registry.bodies import TEXT_MAX
from smschannel.registry_client import RegistryClient
from tests.registry.outbox_support import sinch_webhook


def _headers(facts: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {facts['registry']['token']}"}


@pytest.mark.parametrize(("value", "shown"), [("abc", '"abc"'), ([1], "[1]"), ({"a": 1}, "{'a': 1}")])
def test_a_window_of_the_wrong_type_is_refused_in_one_line(registry: RegistryClient, facts: dict[str, Any],
                                                           value: Any, shown: str) -> None:
    tw = facts["vendors"]["twilio"]
    cred = registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "X"}, {"auth_token": tw["auth_token"]})
    answer = httpx.post(f"{registry.endpoint}/v1/sandboxes/{registry.sandbox}/webhook", headers=_headers(facts), json={
        "name": "w", "vendor": "twilio", "credentials_id": cred["id"], "sender_number": tw["phone_numbers"][0],
        "fuzzy_confirm_window_minutes": value})
    assert (answer.status_code, answer.json()["detail"]) == (
        422, f'smschannel_webhook "w": fuzzy_confirm_window_minutes must be a valid integer, got {shown}')


def test_a_secret_named_by_env_without_its_value_is_refused_and_the_connection_lives_on(
        registry: RegistryClient, facts: dict[str, Any]) -> None:
    template = json.dumps({"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "authOption": "x"})
    body = {"name": "c", "provider_name": "acme", "provider_app_id": "a", "provider_url": facts["env"][
        "CUSTOM_PROVIDER_URL"], "auth_type": "bearer", "api_token_env": "ACME_TOKEN", "payload_template": template}
    with httpx.Client(base_url=registry.endpoint, headers=_headers(facts)) as keep_alive:
        answer = keep_alive.post(f"/v1/sandboxes/{registry.sandbox}/custom_credentials", json=body)
        assert (answer.status_code, answer.json()["detail"]) == (
            422, 'smschannel_custom_credentials "c": api_token: the secret\'s value is required (the provider sends '
                 "the value it read from the environment)")
        assert keep_alive.get("/v1/whoami").status_code == 200  # the same connection still answers


@pytest.mark.parametrize("path", ["inbound", "feedback"])
def test_deeply_nested_json_to_a_vendor_webhook_is_400(registry: RegistryClient, facts: dict[str, Any],
                                                       path: str) -> None:
    token = "x" * 32  # the limit applies before the webhook is even looked up
    deep = b"[" * 5000 + b"]" * 5000
    answer = httpx.post(f"{registry.endpoint}/{path}/{token}", content=deep,
                        headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["detail"]) == (400, "the JSON body nests deeper than 32 levels")


def test_a_sinch_body_nested_deep_without_a_json_content_type_is_400(registry: RegistryClient,
                                                                     facts: dict[str, Any]) -> None:
    webhook = sinch_webhook(registry, facts)
    answer = httpx.post(webhook["url"], content=b"[" * 5000 + b"]" * 5000)
    assert (answer.status_code, answer.json()["detail"]) == (400, "the body nests too deeply to be read")


def test_a_huge_request_id_is_400_and_nul_characters_are_dropped(registry: RegistryClient, facts: dict[str, Any],
                                                                 local_stack: LocalStack) -> None:
    webhook = sinch_webhook(registry, facts)
    to = webhook["sender_number"][1:]
    huge = {"type": "mo_text", "id": "x" * 10000, "from": "14155550123", "to": to, "body": "hi",
            "received_at": "2026-11-25T10:00:00Z"}
    answer = httpx.post(webhook["url"], json=huge)
    assert (answer.status_code, answer.json()["detail"]) == (400, "request_id is longer than 200 characters (10000)")
    nul = {**huge, "id": "01NUL", "body": "ST\u0000OP"}
    answer = httpx.post(webhook["url"], json=nul)
    assert answer.json()["outcomes"][0]["action"] == "opt_out"
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        event = session.scalar(select(storage.InboundEventRow).where(storage.InboundEventRow.request_id == "01NUL"))
        assert event is not None and event.text == "STOP"


def test_api_text_past_the_limit_or_with_nul_is_refused_naming_the_attribute(registry: RegistryClient,
                                                                             facts: dict[str, Any]) -> None:
    url = f"{registry.endpoint}/v1/sandboxes/{registry.sandbox}/webhook"
    answer = httpx.post(url, headers=_headers(facts), json={"name": "w", "default_reply": "x" * (TEXT_MAX + 1)})
    assert (answer.status_code, answer.json()["detail"]) == (
        422, f'smschannel_webhook "w": default_reply: at most {TEXT_MAX} characters, got {TEXT_MAX + 1}')
    answer = httpx.post(url, headers=_headers(facts), json={"name": "w", "locale": "e\u0000n"})
    assert answer.json()["detail"] == 'smschannel_webhook "w": locale: must not contain a NUL character'
    answer = httpx.post(url, headers=_headers(facts), json=["not", "an", "object"])
    assert answer.json()["detail"] == "smschannel_webhook: the request body must be a JSON object of attributes"


def test_request_bodies_are_typed_per_object_type_from_the_model(facts: dict[str, Any]) -> None:
    document = httpx.get(f"{facts['registry']['url']}/openapi.json").json()
    create = document["paths"]["/v1/sandboxes/{sandbox}/webhook"]["post"]["requestBody"]["content"]
    assert create["application/json"]["schema"] == {"$ref": "#/components/schemas/WebhookCreate"}
    body = document["components"]["schemas"]["WebhookCreate"]
    window = WebhookModel.model_fields["fuzzy_confirm_window_minutes"]
    assert body["properties"]["fuzzy_confirm_window_minutes"]["type"] == "integer"
    assert body["properties"]["fuzzy_confirm_window_minutes"]["description"] == window.description
    assert body["properties"]["opt_out"]["anyOf"][0] == {"$ref": "#/components/schemas/KeywordCategory"}
    assert body["additionalProperties"] is False and "url" not in body["properties"]  # computed: not an input
    twilio = document["components"]["schemas"]["TwilioCredentialsCreate"]
    assert twilio["properties"]["secrets"]["properties"] == {"auth_token": {"type": "string", "maxLength": 8000}}
    assert "cleared_secrets" in document["components"]["schemas"]["TwilioCredentialsUpdate"]["properties"]
