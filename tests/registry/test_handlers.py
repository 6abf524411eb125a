"""Each object type's handler (`smschannel.registry.kinds`) through `Services` directly, not over HTTP:
what it refuses (the exact line), what it stores, and what a delete undoes at the vendor. The local
vendors and a local DNS server run on loopback; every test has its own registry database.

tests/registry/test_objects.py covers the HTTP API (auth, scopes, secrets at rest, validation lines,
sandboxes, the basic activation of configurations)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from smschannel.dns.server import LocalDnsServer
from smschannel.emulators import Fault
from smschannel.model import (
    ConfigurationModel,
    InfobipCredentialsModel,
    ResourceModel,
    SinchCredentialsModel,
    SubdomainModel,
    TwilioCredentialsModel,
    WebhookModel,
)
from smschannel.model.provider_config import VendorEndpoints
from smschannel.registry import storage
from smschannel.registry.kinds import Refused, handler_for
from smschannel.registry.kinds.configurations import ConfigurationHandler
from smschannel.registry.kinds.credentials import CredentialsHandler
from smschannel.registry.kinds.subdomains import SubdomainHandler
from smschannel.registry.kinds.webhooks import WebhookHandler
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from tests.providers.support import SinchWorld, TwilioWorld, run_sinch, run_twilio
from tests.providers.vendor_worlds import InfobipWorld, run_infobip

SANDBOX = "dev"
PUBLIC = "http://127.0.0.1:8600"
DELEGATED = "links.example.test"
TARGET = "cname.example.test"
BEFORE = "https://before.example/sms"
WRONG = "0badc0de" * 4
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass
class Vendors:
    twilio: TwilioWorld
    sinch: SinchWorld
    infobip: InfobipWorld
    dns: LocalDnsServer

    def clear_calls(self) -> None:
        for state in (self.twilio.state, self.sinch.state, self.infobip.state):
            state.control.journal.clear()

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for state in (self.twilio.state, self.sinch.state, self.infobip.state)
                for r in state.control.journal.entries()]


@pytest.fixture(scope="module")
def vendors() -> Iterator[Vendors]:
    for twilio in run_twilio():  # each yields once, then stops its server
        for sinch in run_sinch():
            for infobip in run_infobip():
                with LocalDnsServer() as dns:
                    yield Vendors(twilio, sinch, infobip, dns)


@pytest.fixture
def services(tmp_path: Path, vendors: Vendors) -> Iterator[Services]:
    dns = vendors.dns
    settings = RegistrySettings.in_dir(
        tmp_path, public_url=PUBLIC, delegated_domains=(DELEGATED,), cname_target=TARGET,
        vendors=VendorEndpoints({"twilio_url": vendors.twilio.url, "twilio_messaging_url": vendors.twilio.url,
                                 "sinch_url": vendors.sinch.url}),
        dns_nameservers=(dns.address,),
        dns_publish=lambda name, target: dns.publish(name, "CNAME", target),
        dns_remove=lambda name: dns.remove(name, "CNAME"),
    )
    services = Services.start(settings)
    number = vendors.twilio.state.numbers[vendors.twilio.facts["number_sids"][0]]
    number.sms_url = BEFORE
    vendors.clear_calls()
    yield services
    services.db.dispose()
    for record in dns.records():
        dns.remove(record.name, record.rtype)
    vendors.infobip.state.configurations.clear()


# -- calls into Services, each in its own transaction, as one request of the API is ---------------------


def create(services: Services, model: type[ResourceModel], body: Mapping[str, Any]) -> dict[str, Any]:
    with services.db.session() as session:
        return services.create(session, SANDBOX, model, body)


def update(services: Services, model: type[ResourceModel], object_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    with services.db.session() as session:
        return services.update(session, SANDBOX, model, object_id, body)


def delete(services: Services, model: type[ResourceModel], object_id: str) -> str:
    with services.db.session() as session:
        return services.delete(session, SANDBOX, model, object_id)


def listed(services: Services, model: type[ResourceModel]) -> list[dict[str, Any]]:
    with services.db.session() as session:
        return services.list(session, SANDBOX, model)


def refused(services: Services, model: type[ResourceModel], body: Mapping[str, Any],
            object_id: str | None = None) -> Refused:
    with pytest.raises(Refused) as caught:
        if object_id is None:
            create(services, model, body)
        else:
            update(services, model, object_id, body)
    return caught.value


def internal(services: Services, object_id: str) -> dict[str, Any]:
    with services.db.session() as session:
        row = session.get(storage.ObjectRow, object_id)
        assert row is not None
        return dict(row.internal or {})


# -- objects the tests build on ------------------------------------------------------------------------


def twilio(services: Services, vendors: Vendors, **over: Any) -> dict[str, Any]:
    facts = vendors.twilio.facts
    return create(services, TwilioCredentialsModel, {
        "name": "tw", "account_sid": facts["account_sid"], "auth_token_env": "TWILIO_AUTH_TOKEN",
        "secrets": {"auth_token": facts["auth_token"]}, **over})


def sinch(services: Services, vendors: Vendors, **over: Any) -> dict[str, Any]:
    facts = vendors.sinch.facts
    return create(services, SinchCredentialsModel, {
        "name": "si", "service_plan_id": facts["service_plan_id"], "api_token_env": "SINCH_API_TOKEN",
        "secrets": {"api_token": facts["api_token"]}, **over})


def infobip(services: Services, vendors: Vendors, **over: Any) -> dict[str, Any]:
    return create(services, InfobipCredentialsModel, {
        "name": "ib", "base_url": vendors.infobip.url, "api_key_env": "INFOBIP_API_KEY",
        "secrets": {"api_key": vendors.infobip.facts["api_key"]}, **over})


def webhook(services: Services, credentials: Mapping[str, Any], sender: str, **over: Any) -> dict[str, Any]:
    vendor = {"twcred": "twilio", "sincred": "sinch", "ibcred": "infobip"}[credentials["id"].split("_")[0]]
    return create(services, WebhookModel, {"name": "in", "vendor": vendor, "credentials_id": credentials["id"],
                                           "sender_number": sender, **over})


def configuration(services: Services, credentials_id: str, sender: str, **over: Any) -> dict[str, Any]:
    return create(services, ConfigurationModel, {"name": "cfg", "channel": "sms", "sms_type": "marketing",
                                                 "credentials_id": credentials_id, "sender_number": sender, **over})


def subdomain(services: Services, prefix: str = "go") -> dict[str, Any]:
    return create(services, SubdomainModel, {"mode": "delegated", "prefix": prefix, "parent_domain": DELEGATED})


def test_each_kind_has_its_handler() -> None:
    assert isinstance(handler_for(TwilioCredentialsModel), CredentialsHandler)
    assert isinstance(handler_for(InfobipCredentialsModel), CredentialsHandler)
    assert isinstance(handler_for(WebhookModel), WebhookHandler)
    assert isinstance(handler_for(SubdomainModel), SubdomainHandler)
    assert isinstance(handler_for(ConfigurationModel), ConfigurationHandler)


# -- credentials ----------------------------------------------------------------------------------------


def test_credentials_are_verified_when_created(services: Services, vendors: Vendors) -> None:
    made = twilio(services, vendors)
    assert RFC3339.fullmatch(made["verified_at"])
    assert made["auth_token_fingerprint"].startswith("hmac-sha256:")
    assert vendors.calls() == [("GET", f"/2010-04-01/Accounts/{vendors.twilio.facts['account_sid']}.json")]


def test_a_verify_failure_is_refused_with_the_vendor_s_words_and_nothing_is_stored(services: Services,
                                                                                  vendors: Vendors) -> None:
    plan = vendors.sinch.facts["service_plan_id"]
    error = refused(services, SinchCredentialsModel, {
        "name": "si", "service_plan_id": plan, "api_token_env": "SINCH_API_TOKEN", "secrets": {"api_token": WRONG}})
    assert (error.status, error.message) == (422, (
        'smschannel_sinch_credentials "si": verify connection failed: Sinch rejected the credentials: error '
        f"unauthorized: Unauthorized [HTTP 401, GET {vendors.sinch.url}/xms/v1/{plan}/batches]"))
    assert WRONG not in error.message
    assert listed(services, SinchCredentialsModel) == []


def test_verified_at_is_kept_when_nothing_watched_changes(services: Services, vendors: Vendors) -> None:
    made = twilio(services, vendors)
    vendors.clear_calls()
    renamed = update(services, TwilioCredentialsModel, made["id"],
                     {"name": "renamed", "inbound_number": "+14155550100"})
    same_token = update(services, TwilioCredentialsModel, made["id"],
                        {"secrets": {"auth_token": vendors.twilio.facts["auth_token"]}})
    assert renamed["verified_at"] == same_token["verified_at"] == made["verified_at"]
    assert same_token["auth_token_fingerprint"] == made["auth_token_fingerprint"]
    assert vendors.calls() == []  # no verify: the account and the token are the ones verified


def test_a_watched_change_verifies_again(services: Services, vendors: Vendors) -> None:
    made = sinch(services, vendors)
    vendors.clear_calls()
    moved = update(services, SinchCredentialsModel, made["id"], {"region": "eu"})
    assert moved["region"] == "eu" and RFC3339.fullmatch(moved["verified_at"])
    assert vendors.calls() == [("GET", f"/xms/v1/{vendors.sinch.facts['service_plan_id']}/batches")]
    error = refused(services, SinchCredentialsModel, {"secrets": {"api_token": WRONG}}, made["id"])
    assert error.message.startswith('smschannel_sinch_credentials "si": verify connection failed: Sinch rejected')
    [kept] = listed(services, SinchCredentialsModel)
    assert kept["api_token_fingerprint"] == made["api_token_fingerprint"]


def test_deleting_credentials_deactivates_their_configurations_only(services: Services, vendors: Vendors) -> None:
    tw, ib = twilio(services, vendors), infobip(services, vendors)
    on_twilio = configuration(services, tw["id"], vendors.twilio.facts["phone_numbers"][0])
    on_infobip = configuration(services, ib["id"], vendors.infobip.facts["phone_numbers"][0], name="cfg-ib")
    assert delete(services, TwilioCredentialsModel, tw["id"]) == ""
    shown = {c["id"]: c for c in listed(services, ConfigurationModel)}
    assert (shown[on_twilio["id"]]["status"], shown[on_twilio["id"]]["status_reason"]) == (
        "deactivated", f"its credentials {tw['id']} were deleted")
    assert (shown[on_infobip["id"]]["status"], shown[on_infobip["id"]]["status_reason"]) == ("active", "")


# -- webhooks -------------------------------------------------------------------------------------------


def test_a_webhook_on_missing_credentials_is_refused(services: Services, vendors: Vendors) -> None:
    error = refused(services, WebhookModel, {"name": "in", "vendor": "twilio", "credentials_id": "twcred_nope",
                                             "sender_number": "+14155550100"})
    assert (error.status, error.message) == (
        422, f'smschannel_webhook "in": credentials_id: no credentials with id twcred_nope in sandbox {SANDBOX}')


def test_a_webhook_on_credentials_of_another_vendor_is_refused(services: Services, vendors: Vendors) -> None:
    tw = twilio(services, vendors)
    error = refused(services, WebhookModel, {"name": "in", "vendor": "sinch", "credentials_id": tw["id"],
                                             "sender_number": "+14155550150"})
    assert (error.status, error.message) == (422, (
        'smschannel_webhook "in": credentials_id: Twilio credentials belong to vendor twilio, but vendor = "sinch"'))


def test_a_webhook_name_is_taken_once_per_sandbox(services: Services, vendors: Vendors) -> None:
    tw = twilio(services, vendors)
    first = webhook(services, tw, vendors.twilio.facts["phone_numbers"][0])
    error = refused(services, WebhookModel, {"name": "in", "vendor": "twilio", "credentials_id": tw["id"],
                                             "sender_number": vendors.twilio.facts["phone_numbers"][1]})
    assert (error.status, error.message) == (409, (
        f'smschannel_webhook "in": the name is already taken by {first["id"]} in sandbox {SANDBOX}; import that '
        "one or choose another name"))


def test_a_twilio_webhook_is_wired_and_its_delete_restores_the_number(services: Services, vendors: Vendors) -> None:
    tw = twilio(services, vendors)
    number, number_sid = vendors.twilio.facts["phone_numbers"][0], vendors.twilio.facts["number_sids"][0]
    made = webhook(services, tw, number)
    assert re.fullmatch(rf"{PUBLIC}/inbound/[A-Za-z0-9_-]{{32}}", made["url"])
    assert made["wired_to"] == f"the SmsUrl of Twilio number {number} ({number_sid})"
    assert vendors.twilio.state.numbers[number_sid].sms_url == made["url"]
    assert internal(services, made["id"])["wiring"] == {"kind": "twilio_number", "sid": number_sid, "url": BEFORE,
                                                        "method": "POST", "credentials_id": tw["id"]}

    note = delete(services, WebhookModel, made["id"])
    assert note == f"restored the SmsUrl of Twilio number {number_sid} to {BEFORE}"
    assert vendors.twilio.state.numbers[number_sid].sms_url == BEFORE
    assert listed(services, WebhookModel) == []


def test_an_update_that_does_not_touch_the_wiring_keeps_url_and_wired_to(services: Services,
                                                                          vendors: Vendors) -> None:
    made = webhook(services, twilio(services, vendors), vendors.twilio.facts["phone_numbers"][0])
    vendors.clear_calls()
    changed = update(services, WebhookModel, made["id"], {"default_reply": "Thanks!"})
    assert (changed["url"], changed["wired_to"], changed["default_reply"]) == (
        made["url"], made["wired_to"], "Thanks!")
    assert vendors.calls() == []


def test_moving_a_webhook_to_another_number_unwires_the_old_one(services: Services, vendors: Vendors) -> None:
    facts = vendors.twilio.facts
    made = webhook(services, twilio(services, vendors), facts["phone_numbers"][0])
    moved = update(services, WebhookModel, made["id"], {"sender_number": facts["phone_numbers"][1]})
    assert moved["url"] == made["url"]  # the token stays: the vendor keeps calling the same address
    assert moved["wired_to"] == f"the SmsUrl of Twilio number {facts['phone_numbers'][1]} ({facts['number_sids'][1]})"
    numbers = vendors.twilio.state.numbers
    assert (numbers[facts["number_sids"][0]].sms_url, numbers[facts["number_sids"][1]].sms_url) == (BEFORE, made["url"])
    assert delete(services, WebhookModel, made["id"]) == (
        f"restored the SmsUrl of Twilio number {facts['number_sids'][1]} to (empty)")


def test_a_sender_the_vendor_cannot_point_is_refused(services: Services, vendors: Vendors) -> None:
    tw = twilio(services, vendors)
    error = refused(services, WebhookModel, {"name": "in", "vendor": "twilio", "credentials_id": tw["id"],
                                             "sender_number": "+14155550177"})
    assert (error.status, error.message) == (422, (
        'smschannel_webhook "in": sender_number: cannot point Twilio credentials at this webhook: +14155550177 is '
        f"not a number of the Twilio account {vendors.twilio.facts['account_sid']}"))
    assert listed(services, WebhookModel) == []


def test_an_infobip_webhook_makes_a_configuration_and_its_delete_removes_it(services: Services,
                                                                           vendors: Vendors) -> None:
    number = vendors.infobip.facts["phone_numbers"][0]
    made = webhook(services, infobip(services, vendors), number)
    [record] = vendors.infobip.state.configurations.values()
    assert made["wired_to"] == f"Infobip inbound message configuration {record.configuration_key} for {number}"
    assert record.forwarding is not None and record.forwarding["url"] == made["url"]
    assert delete(services, WebhookModel, made["id"]) == (
        f"deleted Infobip inbound message configuration {record.configuration_key}")
    assert vendors.infobip.state.configurations == {}


def test_a_sinch_webhook_is_set_by_hand_and_its_delete_undoes_nothing(services: Services, vendors: Vendors) -> None:
    made = webhook(services, sinch(services, vendors), vendors.sinch.facts["phone_numbers"][0])
    assert made["wired_to"] == (f"set by hand: paste {made['url']} into the callback URL of the Sinch service plan "
                                "(Sinch dashboard > SMS > Service APIs)")
    assert internal(services, made["id"])["wiring"] == {}
    assert delete(services, WebhookModel, made["id"]) == ""


def test_a_feedback_webhook_is_not_wired(services: Services, vendors: Vendors) -> None:
    ib = infobip(services, vendors)
    vendors.clear_calls()
    made = webhook(services, ib, vendors.infobip.facts["phone_numbers"][0], type="feedback")
    assert made["url"].startswith(f"{PUBLIC}/feedback/")
    assert made["wired_to"] == "delivery reports: smschannel asks for them on each message it sends"
    assert vendors.calls() == [] and vendors.infobip.state.configurations == {}
    assert delete(services, WebhookModel, made["id"]) == ""


def test_a_webhook_whose_credentials_are_gone_leaves_the_vendor_as_it_is(services: Services,
                                                                         vendors: Vendors) -> None:
    tw = twilio(services, vendors)
    number_sid = vendors.twilio.facts["number_sids"][0]
    made = webhook(services, tw, vendors.twilio.facts["phone_numbers"][0])
    delete(services, TwilioCredentialsModel, tw["id"])
    assert delete(services, WebhookModel, made["id"]) == (
        "its credentials are gone, so the vendor setting it replaced was left as it is")
    assert vendors.twilio.state.numbers[number_sid].sms_url == made["url"]


# -- subdomains -----------------------------------------------------------------------------------------


def test_a_delegated_subdomain_publishes_its_cname_and_succeeds(services: Services, vendors: Vendors) -> None:
    made = subdomain(services)
    assert (made["fqdn"], made["cname_name"], made["cname_value"]) == (
        f"go.{DELEGATED}", f"go.{DELEGATED}", f"go-links-example-test.{TARGET}")
    assert (made["status"], made["status_reason"]) == ("success", "")
    assert [(r.name, r.rtype, r.value) for r in vendors.dns.records()] == [
        (f"go.{DELEGATED}", "CNAME", f"go-links-example-test.{TARGET}")]
    assert delete(services, SubdomainModel, made["id"]) == ""
    assert vendors.dns.records() == []


def test_a_parent_domain_not_delegated_is_refused(services: Services, vendors: Vendors) -> None:
    error = refused(services, SubdomainModel, {"mode": "delegated", "prefix": "go", "parent_domain": "acme.test"})
    assert (error.status, error.message) == (422, (
        f'smschannel_subdomain "go.acme.test": parent_domain: acme.test is not delegated to smschannel '
        f"(delegated: {DELEGATED})"))


def test_one_fqdn_backs_one_subdomain(services: Services, vendors: Vendors) -> None:
    first = subdomain(services)
    error = refused(services, SubdomainModel, {"mode": "custom", "domain": f"go.{DELEGATED}"})
    assert (error.status, error.message) == (409, (
        f'smschannel_subdomain "go.{DELEGATED}": go.{DELEGATED} already backs SMS subdomain {first["id"]}; one FQDN '
        "can back only one"))


def test_a_custom_subdomain_waits_for_its_cname_and_reads_refresh_it(services: Services, vendors: Vendors) -> None:
    made = create(services, SubdomainModel, {"mode": "custom", "domain": "links.acme.test"})
    wanted = f"links-acme-test.{TARGET}"
    assert (made["status"], made["status_reason"]) == (
        "processing", f"no CNAME record for links.acme.test yet: publish links.acme.test CNAME {wanted}")
    assert vendors.dns.records() == []  # a custom domain's record is the owner's to publish
    vendors.dns.publish("links.acme.test", "CNAME", wanted)
    [shown] = listed(services, SubdomainModel)
    assert (shown["status"], shown["status_reason"]) == ("success", "")


# -- configurations -------------------------------------------------------------------------------------


def test_a_configuration_on_missing_credentials_is_refused(services: Services, vendors: Vendors) -> None:
    error = refused(services, ConfigurationModel, {"name": "cfg", "channel": "sms", "sms_type": "marketing",
                                                   "credentials_id": "ibcred_nope", "sender_number": "+14155550170"})
    assert (error.status, error.message) == (
        422, f'smschannel_configuration "cfg": credentials_id: no credentials with id ibcred_nope in sandbox {SANDBOX}')


def test_a_channel_the_credentials_cannot_carry_is_refused(services: Services, vendors: Vendors) -> None:
    ib = infobip(services, vendors)
    error = refused(services, ConfigurationModel, {"name": "cfg", "channel": "rcs", "sms_type": "marketing",
                                                   "credentials_id": ib["id"], "sender_number": "+14155550170"})
    assert (error.status, error.message) == (422, (
        'smschannel_configuration "cfg": credentials_id: Infobip credentials cannot carry the rcs channel '
        "(RCS needs Sinch RCS credentials or custom provider credentials)"))


def test_an_unknown_subdomain_is_refused(services: Services, vendors: Vendors) -> None:
    ib = infobip(services, vendors)
    error = refused(services, ConfigurationModel, {"name": "cfg", "channel": "sms", "sms_type": "marketing",
                                                   "credentials_id": ib["id"], "sender_number": "+14155550170",
                                                   "subdomain_id": "sub_nope"})
    assert (error.status, error.message) == (
        422, 'smschannel_configuration "cfg": subdomain_id: no SMS subdomain with id sub_nope')


def test_a_subdomain_not_in_success_is_refused(services: Services, vendors: Vendors) -> None:
    ib = infobip(services, vendors)
    sub = create(services, SubdomainModel, {"mode": "custom", "domain": "links.acme.test"})
    error = refused(services, ConfigurationModel, {"name": "cfg", "channel": "sms", "sms_type": "marketing",
                                                   "credentials_id": ib["id"], "sender_number": "+14155550170",
                                                   "subdomain_id": sub["id"]})
    assert (error.status, error.message) == (422, (
        'smschannel_configuration "cfg": subdomain_id: SMS subdomain links.acme.test is processing, not success: '
        f"no CNAME record for links.acme.test yet: publish links.acme.test CNAME links-acme-test.{TARGET}"))


def test_a_configuration_is_active_or_failed_with_the_reason(services: Services, vendors: Vendors) -> None:
    ib = infobip(services, vendors)
    active = configuration(services, ib["id"], vendors.infobip.facts["phone_numbers"][1],
                           subdomain_id=subdomain(services)["id"])
    assert (active["status"], active["status_reason"]) == ("active", "")
    failed = configuration(services, ib["id"], "+14155550177", name="cfg-2")
    assert (failed["status"], failed["status_reason"]) == (
        "failed", f"the sender number +14155550177 does not belong to the Infobip account at {vendors.infobip.url}")
    fixed = update(services, ConfigurationModel, failed["id"], {"sender_number": "ACME"})
    assert (fixed["status"], fixed["status_reason"]) == ("active", "")


def test_a_vendor_failure_during_the_check_fails_the_configuration(services: Services, vendors: Vendors) -> None:
    si = sinch(services, vendors)
    plan = vendors.sinch.facts["service_plan_id"]
    vendors.sinch.state.control.faults.add(Fault(status=401))
    made = configuration(services, si["id"], vendors.sinch.facts["phone_numbers"][0])
    assert (made["status"], made["status_reason"]) == ("failed", (
        "Sinch credentials check failed: Sinch rejected the credentials: error unauthorized: Unauthorized "
        f"[HTTP 401, GET {vendors.sinch.url}/xms/v1/{plan}/batches]"))
    assert delete(services, ConfigurationModel, made["id"]) == ""


def test_a_subdomain_in_use_is_not_deleted_and_keeps_its_cname(services: Services, vendors: Vendors) -> None:
    """The refusal comes before anything is undone: the CNAME used to be removed from DNS first, so the
    subdomain that stayed (and the configurations shortening links with it) fell back to `processing`."""
    sub = subdomain(services)
    config = configuration(services, infobip(services, vendors)["id"], vendors.infobip.facts["phone_numbers"][0],
                           subdomain_id=sub["id"])
    with pytest.raises(Refused) as caught:
        delete(services, SubdomainModel, sub["id"])
    assert (caught.value.status, caught.value.message) == (409, (
        f'smschannel_subdomain "go.{DELEGATED}": channel configurations {config["id"]} still shorten links with it; '
        "delete or change them first"))
    assert [(r.name, r.value) for r in vendors.dns.records()] == [
        (f"go.{DELEGATED}", f"go-links-example-test.{TARGET}")]
    [shown] = listed(services, SubdomainModel)
    assert (shown["id"], shown["status"]) == (sub["id"], "success")
