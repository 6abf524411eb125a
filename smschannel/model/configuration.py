"""`smschannel_configuration`: a channel configuration, what a journey or campaign picks to send."""

from __future__ import annotations

from typing import ClassVar, Literal

from smschannel.model.base import Inherited, ResourceModel, Rule
from smschannel.model.countries import CountryCode, sender_problems
from smschannel.model.fields import attr
from smschannel.model.types import ConfigurationName, ObjectId, SenderNumber, Text

CHANNELS = ("sms", "mms", "rcs")
SENDER_RULES_INTRO = (
    "When `countries` is set, the plan (and the constructs at synth, and the registry) checks `sender_number` "
    "against these rules. A short code reaches the subscribers of one country only, so a configuration with a "
    "short code lists one country. Whether a long code is domestic comes from its country calling code "
    "(the `phonenumbers` library's data). Where an alphanumeric sender ID must be registered first, the plan "
    "warns, unless the credentials carry the registration (Infobip's `principal_entity_id` and "
    "`content_template_id` for India, which are then required). Countries not listed get the short-code rule only.")


class ConfigurationModel(ResourceModel):
    """A channel configuration: the channel, the credentials and the sender a journey or campaign
    sends with. It is checked against the vendor when created or changed (Twilio and Infobip: the
    sender belongs to the account, or to its messaging service, and can send MMS when `channel` is
    `mms`; other vendors: the credentials pass the verify-connection step) and becomes `active`, or
    `failed` with the reason in `status_reason`."""

    type_name: ClassVar[str] = "smschannel_configuration"
    title: ClassVar[str] = "channel configuration"
    scope: ClassVar[str] = "channel_configurations"
    id_prefix: ClassVar[str] = "cfg"
    rules: ClassVar[tuple[Rule, ...]] = (Rule(("sender_number", "countries"), sender_problems),)
    inherits: ClassVar[dict[str, Inherited]] = {
        "effective_execution_field": Inherited("execution_field", "channel_settings", "execution_field")}

    id: ObjectId | None = attr("The registry's ID of the configuration. It is also the import ID.", computed=True)
    name: ConfigurationName = attr(
        "The configuration's name, unique in its sandbox: it starts with a letter and holds letters, "
        "digits, `_`, `.` and `-`.",
        replace=True,
        example="marketing-us",
    )
    description: Text | None = attr("A description for the people who pick the configuration.", default=None)
    channel: Literal["sms", "mms", "rcs"] = attr(
        "The channel: `sms`, `mms` or `rcs`.", replace=True,
        example="sms",
    )
    sms_type: Literal["marketing", "transactional"] = attr(
        "`marketing` (sent only to profiles that consented) or `transactional`.", example="marketing"
    )
    credentials_id: ObjectId = attr(
        "The `id` of the credentials to send with. Their vendor must be able to carry the channel (MMS: Sinch MMS, "
        "Twilio, Infobip or custom credentials, and on Twilio and Infobip a sender the vendor reports as "
        "MMS-capable, checked at plan; RCS: Sinch RCS or custom credentials).",
        example="smschannel_twilio_credentials.main.id",
    )
    sender_number: SenderNumber = attr(
        "The sender: an E.164 long code (`+14155550100`), a short code of 5-6 digits, or an "
        "alphanumeric sender ID of 1-11 characters, not all digits. An alphanumeric sender cannot "
        "receive replies.",
        example="+14155550100",
    )
    countries: list[CountryCode] | None = attr(
        "The countries the configuration sends to (ISO 3166-1 alpha-2 codes such as `US` or `FR`). The sender is "
        "checked against each country's rules (the table below) when the plan runs: no alphanumeric sender ID "
        "where operators refuse them, a short code serves one country, domestic long codes only where operators "
        "demand them, and a warning where an alphanumeric sender ID must be registered first. When unset, no "
        "country rule applies.",
        default=None, example=["US"])
    enabled: bool = attr(
        "Whether the configuration can be used to send. `false` deactivates it (`status` becomes `deactivated`) "
        "without destroying it; `true` again re-runs the checks and reactivates it. When unset, true.",
        default=True)
    subdomain_id: ObjectId | None = attr(
        "The `id` of an SMS subdomain in `success` status, to shorten links in messages. When unset, "
        "links are not shortened.",
        default=None,
        replace=True,
    )
    execution_field: Text | None = attr(
        "The profile attribute that holds the number to send to. When unset, the sandbox's default applies (the "
        "`execution_field` of `smschannel_channel_settings`, `mobilePhone.number` until declared), and follows "
        "it when it changes: `effective_execution_field` says which is in use.",
        default=None,
    )
    effective_execution_field: str | None = attr(
        "The profile attribute in use: `execution_field`, or, when it is unset, the sandbox's default at the "
        "time of reading.", computed=True, volatile=True)
    status: Literal["processing", "active", "failed", "deactivated"] | None = attr(
        "`processing` while the checks run, then `active`, or `failed` (see `status_reason`); "
        "`deactivated` when `enabled` is false or its credentials are gone.",
        computed=True,
        volatile=True,
    )
    @classmethod
    def doc_notes(cls) -> str:
        from smschannel.model.countries import rules_markdown

        return f"## Sender rules per country\n\n{SENDER_RULES_INTRO}\n\n{rules_markdown()}"

    status_reason: str | None = attr(
        "Why the configuration is not `active`, in words a person can act on; empty when it is.",
        computed=True,
        volatile=True,
    )


__all__ = ["CHANNELS", "ConfigurationModel"]
