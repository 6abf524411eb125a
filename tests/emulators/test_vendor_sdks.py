"""The local vendors driven by the vendors' official Python SDKs (`twilio`, `sinch`,
`infobip-api-python-client`, from PyPI): clients nobody here wrote, so an emulator that answers in a shape,
a status or a code the real API would not shows up here. Each SDK talks to the emulator over real HTTP
on loopback, only its base URL changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from infobip_api_client import ApiClient, Configuration
from infobip_api_client.api.messages_api import MessagesApi
from infobip_api_client.api.sms_api import SmsApi
from infobip_api_client.exceptions import ApiException
from infobip_api_client.models.messages_api_message import MessagesApiMessage
from infobip_api_client.models.messages_api_message_content import MessagesApiMessageContent
from infobip_api_client.models.messages_api_message_destination import MessagesApiMessageDestination
from infobip_api_client.models.messages_api_message_image_body import MessagesApiMessageImageBody
from infobip_api_client.models.messages_api_request import MessagesApiRequest
from infobip_api_client.models.messages_api_request_messages_inner import MessagesApiRequestMessagesInner
from infobip_api_client.models.messages_api_to_destination import MessagesApiToDestination
from infobip_api_client.models.sms_destination import SmsDestination
from infobip_api_client.models.sms_message import SmsMessage
from infobip_api_client.models.sms_message_content import SmsMessageContent
from infobip_api_client.models.sms_request import SmsRequest
from infobip_api_client.models.sms_text_content import SmsTextContent
from sinch import SinchClient
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client as TwilioSdk

from tests.providers.support import SinchWorld, TwilioWorld, run_sinch, run_twilio
from tests.providers.vendor_worlds import InfobipWorld, SinchConversationWorld, run_infobip, run_sinch_conversation

TO = "+15005550006"
IMAGE = "https://cdn.example.com/offer.jpg"


# -- Twilio ---------------------------------------------------------------------------------------


class LocalTwilio(TwilioHttpClient):  # type: ignore[misc]
    """The SDK's own HTTP client, its requests sent to the local Twilio instead of twilio.com."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        for host in ("https://api.twilio.com", "https://messaging.twilio.com"):
            url = url.replace(host, self.url)
        response: TwilioResponse = super().request(method, url, *args, **kwargs)
        return response


@pytest.fixture(scope="module")
def twilio() -> Iterator[TwilioWorld]:
    yield from run_twilio()


@pytest.fixture(scope="module")
def twilio_sdk(twilio: TwilioWorld) -> TwilioSdk:
    return TwilioSdk(twilio.facts["account_sid"], twilio.facts["auth_token"], http_client=LocalTwilio(twilio.url))


def twilio_error(call: Any) -> tuple[int, int, str]:
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value.status, caught.value.code, caught.value.msg


def test_twilio_account_and_numbers_with_their_capabilities(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    facts = twilio.facts
    assert twilio_sdk.api.v2010.accounts(facts["account_sid"]).fetch().friendly_name == "smschannel demo"
    numbers = {n.phone_number: n for n in twilio_sdk.incoming_phone_numbers.list()}
    assert list(numbers) == facts["phone_numbers"]
    assert numbers[facts["phone_numbers"][0]].capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert numbers[facts["sms_only_number"]].capabilities["mms"] is False
    wrong = TwilioSdk(facts["account_sid"], "0" * 32, http_client=LocalTwilio(twilio.url))
    assert twilio_error(lambda: wrong.api.v2010.accounts(facts["account_sid"]).fetch())[:2] == (401, 20003)


def test_twilio_number_webhook_url_must_be_a_url(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    sid = twilio.facts["number_sids"][0]
    assert twilio_sdk.incoming_phone_numbers(sid).update(sms_url="https://example.com/sms").sms_url == \
        "https://example.com/sms"
    assert twilio_error(lambda: twilio_sdk.incoming_phone_numbers(sid).update(sms_url="not a url")) == (
        400, 21502, "Unable to update record: SmsUrl is not valid: not a url")
    assert twilio_sdk.incoming_phone_numbers(sid).fetch().sms_url == "https://example.com/sms"


def test_twilio_messages_created_listed_and_fetched(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    sender = twilio.facts["phone_numbers"][0]
    short = twilio_sdk.messages.create(to=TO, from_=sender, body="Reply STOP to opt out")
    long = twilio_sdk.messages.create(to=TO, from_=sender, body="x" * 161)
    unicode = twilio_sdk.messages.create(to=TO, from_=sender, body="Ça va? 😀 " * 8)
    assert (short.num_segments, long.num_segments, unicode.num_segments) == ("1", "2", "2")
    assert (short.status, short.direction, short.num_media) == ("queued", "outbound-api", "0")
    listed = [m.sid for m in twilio_sdk.messages.list(to=TO, limit=3)]
    assert listed == [unicode.sid, long.sid, short.sid]  # newest first, as Twilio lists them
    assert twilio_sdk.messages(short.sid).fetch().body == "Reply STOP to opt out"
    assert twilio_error(lambda: twilio_sdk.messages("SM" + "0" * 32).fetch())[:2] == (404, 20404)


def test_twilio_refuses_what_the_real_api_refuses(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    sender = twilio.facts["phone_numbers"][0]
    assert twilio_error(lambda: twilio_sdk.messages.create(to="not a number", from_=sender, body="hi")) == (
        400, 21211, "Unable to create record: Invalid 'To' Phone Number: not a number")
    assert twilio_error(lambda: twilio_sdk.messages.create(to=TO, from_=sender, body="x" * 1601)) == (
        400, 21617, "Unable to create record: The concatenated message body exceeds the 1600 character limit.")
    assert twilio_error(lambda: twilio_sdk.messages.create(to=TO, from_="+14155550199", body="hi"))[:2] == (400, 21606)
    many = [f"https://cdn.example.com/{i}.jpg" for i in range(11)]
    assert twilio_error(lambda: twilio_sdk.messages.create(to=TO, from_=sender, media_url=many))[:2] == (400, 21623)
    assert twilio_error(lambda: twilio_sdk.messages.create(to=TO, from_=sender, media_url=["nope"]))[:2] == (
        400, 21620)


def test_twilio_mms_goes_only_from_an_mms_capable_sender(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    facts = twilio.facts
    mms = twilio_sdk.messages.create(to=TO, from_=facts["phone_numbers"][0], body="See", media_url=[IMAGE])
    assert (mms.sid[:2], mms.num_media) == ("MM", "1")
    assert twilio_error(lambda: twilio_sdk.messages.create(to=TO, from_=facts["sms_only_number"], media_url=[IMAGE]))\
        == (400, 21606, f"Unable to create record: The From phone number {facts['sms_only_number']} is not a valid, "
                        "MMS-capable inbound phone number or short code for your account.")
    through_service = twilio_sdk.messages.create(to=TO, messaging_service_sid=facts["messaging_service_sid"],
                                                 body="See", media_url=[IMAGE])
    assert (through_service.status, through_service.messaging_service_sid) == ("accepted",
                                                                              facts["messaging_service_sid"])


def test_twilio_messaging_services(twilio: TwilioWorld, twilio_sdk: TwilioSdk) -> None:
    facts = twilio.facts
    services = twilio_sdk.messaging.v1.services.list()
    assert [s.sid for s in services] == [facts["messaging_service_sid"]]
    service = twilio_sdk.messaging.v1.services(facts["messaging_service_sid"])
    assert service.fetch().friendly_name == "smschannel demo service"
    [number] = service.phone_numbers.list()
    assert (number.phone_number, number.capabilities) == (facts["phone_numbers"][1], ["SMS", "MMS", "Voice"])
    updated = service.update(inbound_request_url="https://example.com/in")
    assert updated.inbound_request_url == "https://example.com/in"


# -- Sinch ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sinch() -> Iterator[SinchWorld]:
    yield from run_sinch()


def sinch_sms(sinch: SinchWorld, token: str | None = None) -> SinchClient:
    client = SinchClient(service_plan_id=sinch.facts["service_plan_id"],
                         sms_api_token=token or sinch.facts["api_token"], sms_region="us")
    client.configuration.sms_origin_with_service_plan_id = sinch.url
    return client


def test_sinch_batches_sent_listed_and_fetched(sinch: SinchWorld) -> None:
    client = sinch_sms(sinch)
    sender = sinch.facts["phone_numbers"][0]
    sent = client.sms.batches.send_sms(to=[TO], from_=sender, body="Reply STOP to opt out",
                                       event_destination_target="https://reports.example.com/sinch",
                                       delivery_report="per_recipient")
    assert (sent.to, sent.from_, sent.body, sent.canceled) == ([TO], sender, "Reply STOP to opt out", False)
    assert (sent.event_destination_target, sent.delivery_report) == ("https://reports.example.com/sinch",
                                                                     "per_recipient")
    assert sent.id in [b.id for b in client.sms.batches.list().iterator()]
    assert client.sms.batches.get(batch_id=sent.id).body == "Reply STOP to opt out"
    with pytest.raises(Exception, match="404"):
        client.sms.batches.get(batch_id="01" + "0" * 24)
    with pytest.raises(Exception, match="401"):
        sinch_sms(sinch, "0" * 32).sms.batches.send_sms(to=[TO], from_=sender, body="x")


@pytest.fixture(scope="module")
def conversation() -> Iterator[SinchConversationWorld]:
    yield from run_sinch_conversation()


def sinch_conversation(world: SinchConversationWorld, key_secret: str | None = None) -> SinchClient:
    facts = world.facts
    client = SinchClient(key_id=facts["key_id"], key_secret=key_secret or facts["key_secret"],
                         project_id=facts["project_id"], conversation_region="us")
    client.configuration.auth_origin = world.url  # the emulator stands in for auth.sinch.com too
    client.configuration.conversation_origin = world.url
    return client


def test_sinch_conversation_app_and_messages_with_oauth(conversation: SinchConversationWorld) -> None:
    client, facts = sinch_conversation(conversation), conversation.facts
    app = client.conversation.apps.get(app_id=facts["rcs_app_id"])
    assert (app.id, app.display_name, app.processing_mode) == (facts["rcs_app_id"], "smschannel demo RCS",
                                                               "CONVERSATION")
    assert app.channel_credentials.rcs is not None and app.channel_credentials.sms is not None
    conversation.state.no_rcs.add(TO)
    sent = client.conversation.messages.send_text_message(
        app_id=facts["rcs_app_id"], text="Bye.", channel_priority_order=["RCS", "SMS"],
        recipient_identities=[{"channel": "RCS", "identity": TO}, {"channel": "SMS", "identity": TO}])
    recorded = conversation.state.outbox[-1]
    assert (recorded["message_id"], recorded["channel"]) == (sent.message_id, "SMS")  # Sinch's own fallback
    media = client.conversation.messages.send_media_message(
        app_id=facts["mms_app_id"], media_message={"url": IMAGE}, recipient_identities=[{"channel": "MMS",
                                                                                         "identity": TO}])
    assert conversation.state.outbox[-1]["message"] == {"media_message": {"url": IMAGE}}
    assert media.message_id == conversation.state.outbox[-1]["message_id"]
    with pytest.raises(Exception, match="Client authentication failed"):  # the token endpoint's 401
        sinch_conversation(conversation, key_secret="wrong").conversation.apps.get(app_id=facts["rcs_app_id"])


# -- Infobip --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def infobip() -> Iterator[InfobipWorld]:
    yield from run_infobip()


def infobip_client(world: InfobipWorld, api_key: str | None = None) -> ApiClient:
    return ApiClient(Configuration(host=world.url, api_key=api_key or world.facts["api_key"]))  # `App <key>`


def test_infobip_sms(infobip: InfobipWorld) -> None:
    sender = infobip.facts["phone_numbers"][0]
    request = SmsRequest(messages=[SmsMessage(sender=sender.lstrip("+"), destinations=[SmsDestination(to=TO[1:])],
                                              content=SmsMessageContent(SmsTextContent(text="Reply STOP to opt out")))])
    sent = SmsApi(infobip_client(infobip)).send_sms_messages(request)
    status = sent.messages[0].status
    assert sent.bulk_id and sent.messages[0].destination == TO[1:]
    assert status is not None and status.group_name == "PENDING"
    assert infobip.state.outbox[-1]["text"] == "Reply STOP to opt out"
    with pytest.raises(ApiException) as caught:
        SmsApi(infobip_client(infobip, "0" * 32)).send_sms_messages(request)
    assert caught.value.status == 401


def mms_request(sender: str) -> MessagesApiRequest:
    message = MessagesApiMessage(channel="MMS", sender=sender.lstrip("+"),
                                 destinations=[MessagesApiMessageDestination(MessagesApiToDestination(to=TO[1:]))],
                                 content=MessagesApiMessageContent(body=MessagesApiMessageImageBody(url=IMAGE,
                                                                                                   text="See")))
    return MessagesApiRequest(messages=[MessagesApiRequestMessagesInner(message)])


# The SDK's own models warn while it serialises a polymorphic body (its pydantic unions), whatever is sent.
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
def test_infobip_mms_through_the_messages_api(infobip: InfobipWorld) -> None:
    capable, sms_only = infobip.facts["phone_numbers"]
    sent = MessagesApi(infobip_client(infobip)).send_messages_api_message(mms_request(capable))
    status = sent.messages[0].status
    assert sent.messages[0].destination == TO[1:] and status is not None and status.name == "PENDING_ACCEPTED"
    recorded = infobip.state.outbox[-1]
    assert (recorded["channel"], recorded["media_url"], recorded["text"]) == ("MMS", IMAGE, "See")
    with pytest.raises(ApiException) as caught:
        MessagesApi(infobip_client(infobip)).send_messages_api_message(mms_request(sms_only))
    assert caught.value.status == 400
    assert f"{sms_only.lstrip('+')} is not an MMS-capable number of the account" in str(caught.value.body)
