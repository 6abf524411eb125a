"""`smschannel_webhook`: where a vendor delivers inbound messages (and delivery feedback), with the
keyword rules that act on them and fuzzy opt-out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field

from smschannel.model.base import BlockModel, Derived, ResourceModel, Rule
from smschannel.model.fields import attr
from smschannel.model.text import shown
from smschannel.model.types import (
    DisplayName,
    HttpsUrl,
    InboundNumber,
    Keyword,
    LocaleCode,
    ObjectId,
    ReplyText,
    Text,
)

if TYPE_CHECKING:
    from smschannel.keywords import KeywordRules
    from smschannel.model.credentials import CredentialsModel

Minutes = Annotated[int, Field(strict=True, ge=1, le=10080)]
MAX_MEDIA = 10
"""The most media URLs a reply declares (Twilio's limit per message; other vendors allow fewer)."""
MediaUrls = Annotated[list[HttpsUrl], Field(min_length=1, max_length=MAX_MEDIA)]
CATEGORIES = ("opt_out", "opt_in", "double_opt_in", "help", "custom")
REPLIES = (*CATEGORIES, "fuzzy_auto_reply", "default_reply")


class KeywordCategory(BlockModel):
    """One keyword category: its keywords and the reply sent when one of them arrives."""

    keywords: list[Keyword] = attr(
        "The keywords, matched case-insensitively after trimming spaces and punctuation. Declaring a "
        "category replaces its default keywords, where it has any (to keep STOP in `opt_out`, list it).",
        example=["STOP", "QUIT"],
    )
    reply: ReplyText | None = attr(
        "The message sent back when one of the keywords arrives (at most 10 SMS segments). When unset, "
        "nothing is sent.",
        default=None,
    )
    media: MediaUrls | None = attr(
        "Images sent with `reply`, as an MMS: their https URLs (1 to 10). The webhook's credentials must be "
        "able to send them (Twilio: up to 10; Infobip, Sinch MMS and Sinch RCS: 1; others none), which the "
        "plan checks. When unset, the reply is text only.",
        default=None, example=["https://cdn.example.com/stop.png"],
    )

    rules: ClassVar[tuple[Rule, ...]] = (
        Rule(("media", "reply"), lambda v: "media: a reply with media needs its text in reply too"
             if v.get("media") and not v.get("reply") else None),
    )


class PayloadMapping(BlockModel):
    """Where a custom vendor's JSON puts each part of an inbound message or a delivery report."""

    message: str | None = attr("The path of the message text, e.g. `data.text`.", default=None)
    profile_number: str | None = attr("The path of the sender's number (the profile), e.g. `data.from`.",
                                      default=None)
    request_id: str | None = attr("The path of the vendor's request ID, used to ignore retried callbacks.",
                                  default=None)
    timestamp: str | None = attr("The path of the time the message was received (ISO 8601 or epoch).",
                                 default=None)
    inbound_number: str | None = attr("The path of the number the message was sent to.", default=None)
    client_reference: str | None = attr("Feedback: the path of the client reference of the sent message.",
                                        default=None)
    status_code: str | None = attr("Feedback: the path of the vendor's status code.", default=None)
    status: str | None = attr("Feedback: the path of the delivery status.", default=None)


def keyword_rules(values: Mapping[str, Any]) -> KeywordRules:
    """The keyword engine's rules for a webhook's attributes (undeclared categories and confirm keywords
    keep the `locale`'s defaults). The one translation: the model's rules and the registry's inbound path
    both use it."""
    from smschannel.keywords import DEFAULT_FUZZY_WINDOW_MINUTES, DEFAULT_LOCALE, Category, KeywordRules

    def category(name: str) -> Category | None:
        block = values.get(name)
        if not isinstance(block, Mapping):
            return None
        return Category(tuple(block.get("keywords") or ()), block.get("reply"))

    return KeywordRules(
        opt_out=category("opt_out"), opt_in=category("opt_in"), double_opt_in=category("double_opt_in"),
        help=category("help"), custom=category("custom"),
        fuzzy_opt_out=bool(values.get("fuzzy_opt_out")), fuzzy_auto_reply=values.get("fuzzy_auto_reply"),
        fuzzy_confirm_keywords=tuple(values.get("fuzzy_confirm_keywords") or ()) or None,
        fuzzy_confirm_window_minutes=int(values.get("fuzzy_confirm_window_minutes") or DEFAULT_FUZZY_WINDOW_MINUTES),
        default_reply=values.get("default_reply"),
        locale=values.get("locale") or DEFAULT_LOCALE,
    )


def _no_keyword_twice(values: Mapping[str, Any]) -> str | None:
    from smschannel.keywords import DEFAULT_LOCALE, keyword_conflicts

    conflicts = keyword_conflicts(keyword_rules(values))
    if not conflicts:
        return None
    conflict = conflicts[0]
    notes = []
    if conflict.first_spelling != conflict.keyword:
        notes.append(f"as {conflict.first_spelling}: case and accents do not count")
    default = [c for c in (conflict.first, conflict.second) if values.get(c) is None]
    if default:
        locale = values.get("locale") or DEFAULT_LOCALE
        of_locale = "" if locale == DEFAULT_LOCALE else f' of locale "{locale}"'
        notes.append(f"{default[0]} keeps its default keywords{of_locale} because it is not declared")
    note = f" ({'; '.join(notes)})" if notes else ""
    return (f"{conflict.second}.keywords: {conflict.keyword} is already an {conflict.first} keyword{note}; "
            "a keyword may sit in one category only")


def _fuzzy_needs_a_question(values: Mapping[str, Any]) -> str | None:
    if values.get("fuzzy_opt_out") and not values.get("fuzzy_auto_reply"):
        return ("fuzzy_auto_reply is required when fuzzy_opt_out is true: it is the message that asks the "
                "person to confirm (a fuzzy match never opts anyone out by itself)")
    return None


def _vendor_traits(values: Mapping[str, Any]) -> type[CredentialsModel] | None:
    from smschannel.model import vendor_credentials

    return vendor_credentials(values.get("vendor"))


def _known_vendor(values: Mapping[str, Any]) -> str | None:
    from smschannel.model import vendors

    if _vendor_traits(values) is not None:
        return None
    known = vendors()
    listed = f"{', '.join(known[:-1])} or {known[-1]}" if len(known) > 1 else "".join(known)
    return f"vendor must be one of {listed}, got {shown(values.get('vendor'))}"


def _mapping_where_needed(values: Mapping[str, Any]) -> str | None:
    from smschannel.model import CREDENTIALS

    traits = _vendor_traits(values)
    if traits is None:
        return None
    mapping, vendor = values.get("payload_mapping"), values.get("vendor")
    if mapping is not None and not traits.needs_payload_mapping:
        mapped = " or ".join(dict.fromkeys(m.vendor for m in CREDENTIALS if m.needs_payload_mapping))
        return f"payload_mapping is for the {mapped} vendor only: {vendor} sends its own format"
    if traits.needs_payload_mapping and mapping is None:
        return f"payload_mapping is required for the {vendor} vendor: say where its JSON puts each part"
    if traits.needs_payload_mapping and isinstance(mapping, Mapping):
        from smschannel.model.payload_mapping import validate_payload_mapping

        kind: Literal["inbound", "feedback"] = "feedback" if values.get("type") == "feedback" else "inbound"
        problems = validate_payload_mapping({k: v for k, v in mapping.items() if v is not None}, webhook_type=kind)
        return problems[0].message if problems else None
    return None


def _keywords_on_inbound_only(values: Mapping[str, Any]) -> str | None:
    if values.get("type") == "feedback":
        declared = [c for c in (*CATEGORIES, "fuzzy_auto_reply", "default_reply") if values.get(c) is not None]
        if values.get("locale") not in (None, "en"):
            declared.append("locale")
        if declared or values.get("fuzzy_opt_out"):
            return (f"{(declared or ['fuzzy_opt_out'])[0]}: keyword rules apply to inbound webhooks only, "
                    "not to type = \"feedback\"")
    return None


def _webhook_type_of_vendor(values: Mapping[str, Any]) -> str | None:
    traits, kind = _vendor_traits(values), values.get("type")
    if traits is not None and kind is not None and kind not in traits.webhook_types:
        return traits.webhook_type_hint or (f"type: {values.get('vendor')} webhooks are of type "
                                            f"{' or '.join(traits.webhook_types)}")
    return None


def reply_info(values: Mapping[str, Any]) -> dict[str, str]:
    """Each declared reply's encoding and segment count, e.g. `{"opt_out": "GSM-7, 1 segment"}`, and its
    media when it has some (`"GSM-7, 1 segment, MMS with 1 image"`)."""
    from smschannel.keywords import encode_info

    texts: dict[str, Any] = {c: (values.get(c) or {}).get("reply") for c in CATEGORIES
                             if isinstance(values.get(c), Mapping)}
    texts["fuzzy_auto_reply"] = values.get("fuzzy_auto_reply")
    texts["default_reply"] = values.get("default_reply")
    info = {name: str(encode_info(text)) for name, text in texts.items() if isinstance(text, str) and text}
    for name, media in reply_media_by_category(values).items():
        if name in info:
            info[name] += f", MMS with {len(media)} image{'s' if len(media) > 1 else ''}"
    return info


ACTION_CATEGORY = {"opt_out": "opt_out", "opt_in": "opt_in", "double_opt_in_pending": "double_opt_in",
                   "help": "help", "custom": "custom"}
"""Which category's reply a keyword decision sends (`smschannel.keywords.Decision.action`)."""


def reply_media_by_category(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The declared media of each category's reply."""
    return {c: list(block["media"]) for c in CATEGORIES
            if isinstance(block := values.get(c), Mapping) and isinstance(block.get("media"), list) and block["media"]}


def reply_media(values: Mapping[str, Any], action: str) -> list[str]:
    """The media sent with the reply of a decision (`Decision.action`): its category's `media`."""
    category = ACTION_CATEGORY.get(action)
    return reply_media_by_category(values).get(category, []) if category else []


class WebhookModel(ResourceModel):
    """Where a vendor delivers inbound messages (and, for Infobip and custom vendors, delivery feedback),
    with the keyword rules the registry applies to them. Where the vendor has an API for it, apply
    points the vendor at `url` (Twilio: the number's or the messaging service's inbound URL; Infobip: an
    inbound message configuration) and destroy restores what was there; for Sinch and custom vendors
    the plan warns which URL to paste into the vendor's dashboard."""

    type_name: ClassVar[str] = "smschannel_webhook"
    title: ClassVar[str] = "webhook"
    scope: ClassVar[str] = "sms_settings"
    id_prefix: ClassVar[str] = "whk"
    rules: ClassVar[tuple[Rule, ...]] = (
        # Every attribute `keyword_rules` reads: the rule runs only once each of them is well-formed.
        Rule(("opt_out", "opt_in", "double_opt_in", "help", "custom", "locale", "fuzzy_opt_out", "fuzzy_auto_reply",
              "fuzzy_confirm_keywords", "fuzzy_confirm_window_minutes", "default_reply"), _no_keyword_twice),
        Rule(("fuzzy_auto_reply", "fuzzy_opt_out"), _fuzzy_needs_a_question),
        Rule(("vendor",), _known_vendor),
        Rule(("payload_mapping", "vendor", "type"), _mapping_where_needed),
        Rule(("type", *CATEGORIES, "fuzzy_auto_reply", "default_reply", "fuzzy_opt_out", "locale"),
             _keywords_on_inbound_only),
        Rule(("type", "vendor"), _webhook_type_of_vendor),
    )
    derived: ClassVar[dict[str, Derived]] = {
        "reply_info": Derived((*CATEGORIES, "fuzzy_auto_reply", "default_reply"), reply_info)}

    @classmethod
    def doc_notes(cls) -> str:
        """The default keywords of each `locale`, from the keyword engine's own tables."""
        from smschannel.keywords import LOCALES

        def listed(keywords: tuple[str, ...]) -> str:
            return ", ".join(f"{k} (also STOPALL)" if k == "STOP" else k for k in keywords)

        rows = ["| `locale` | opt-out | opt-in | help | `fuzzy_confirm_keywords` |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| `{locale.code}` ({locale.name}) | {listed(locale.opt_out)} | {listed(locale.opt_in)} | "
                 f"{listed(locale.help)} | {listed(locale.confirm)} |" for locale in LOCALES.values()]
        return "\n".join(rows)

    id: ObjectId | None = attr("The registry's ID of the webhook. It is also the import ID.", computed=True)
    name: DisplayName = attr("A name for the webhook, unique in its sandbox.", example="inbound-us")
    vendor: Text = attr(
        "The vendor that calls the webhook: `sinch`, `sinch_conversational`, `infobip`, `custom` or `twilio`.",
        example="twilio",
    )
    type: Literal["inbound", "feedback"] = attr(
        "`inbound` (messages people send) or `feedback` (delivery reports). Sinch sends both to one "
        "`inbound` webhook. When unset, `inbound`.",
        default="inbound",
    )
    credentials_id: ObjectId = attr(
        "The `id` of the credentials of the vendor's account; replies are sent with them.",
        example="smschannel_twilio_credentials.main.id",
    )
    sender_number: InboundNumber = attr(
        "The number (E.164) or short code people write to, and replies are sent from.", example="+14155550100"
    )
    locale: LocaleCode = attr(
        "The language of the people who write to this webhook: `en` (English), `fr` (French), `es` "
        "(Spanish), `de` (German), `pt` (Portuguese) or `it` (Italian). It sets the keywords of each "
        "category that is not declared, the default `fuzzy_confirm_keywords` and the phrases fuzzy opt-out "
        "recognises (\"ne m'envoyez plus de SMS\", \"dame de baja\"); the English phrases are recognised in "
        "every locale. Keywords match whatever the case and accents (ARRÊT = ARRET). When unset, `en`.",
        default="en",
        example="fr",
    )
    opt_out: KeywordCategory | None = attr(
        "Opt-out keywords and reply. When not declared: the `locale`'s defaults (English: STOP (also STOPALL), "
        "QUIT, CANCEL, END, UNSUBSCRIBE and NO), with no reply.", default=None)
    opt_in: KeywordCategory | None = attr(
        "Opt-in keywords and reply. When not declared: the `locale`'s defaults (English: SUBSCRIBE, YES, "
        "UNSTOP, START, CONTINUE, RESUME and BEGIN), with no reply.", default=None)
    double_opt_in: KeywordCategory | None = attr(
        "Double opt-in keywords: the reply asks for confirmation and a following opt-in keyword confirms. "
        "When not declared, there is no double opt-in.", default=None)
    help: KeywordCategory | None = attr(
        "Help keywords and reply. When not declared: the `locale`'s defaults (English: HELP and INFO), with no "
        "reply.", default=None)
    custom: KeywordCategory | None = attr(
        "Custom keywords, recorded as custom keyword events, and their reply. When not declared, none.",
        default=None)
    fuzzy_opt_out: bool = attr(
        "Whether a message that closely resembles an opt-out (a typo such as CANCIL, or a phrase such as "
        "\"please stop texting me\") gets `fuzzy_auto_reply` and a pending confirmation. A fuzzy match "
        "never opts anyone out by itself. When unset, false.",
        default=False,
    )
    fuzzy_auto_reply: ReplyText | None = attr(
        "The message sent on a fuzzy match, asking the person to confirm with one of "
        "`fuzzy_confirm_keywords`. Required when `fuzzy_opt_out` is true.", default=None)
    fuzzy_confirm_keywords: list[Keyword] | None = attr(
        "The keywords that confirm a pending fuzzy opt-out. When unset, the `locale`'s: YES and Y in English "
        "(OUI and O in French, SI and S in Spanish, JA and J in German, SIM and S in Portuguese, SI and S in "
        "Italian).",
        default=None)
    fuzzy_confirm_window_minutes: Minutes = attr(
        "How long a fuzzy opt-out confirmation stays open, in minutes (1 to 10080). When unset, 60.",
        default=60,
    )
    default_reply: ReplyText | None = attr(
        "The message sent when nothing matches. When unset, nothing is sent.", default=None)
    payload_mapping: PayloadMapping | None = attr(
        "For the custom vendor: where its JSON puts the message, the profile's number, the request ID, the "
        "timestamp and the inbound number (feedback: client reference, status code, status).", default=None)
    url: str | None = attr(
        "The registry's address that the vendor must call. It holds an unguessable token.", computed=True)
    reply_info: dict[str, str] | None = attr(
        "Each reply's encoding and segment count, e.g. `opt_out = \"GSM-7, 1 segment\"`, so a plan shows "
        "what a reply costs.", computed=True)
    wired_to: str | None = attr(
        "What apply pointed at `url` at the vendor (e.g. the Twilio number's inbound URL), or how to do it "
        "by hand where the vendor has no API for it.", computed=True, volatile=True)


__all__ = [
    "ACTION_CATEGORY",
    "CATEGORIES",
    "MAX_MEDIA",
    "REPLIES",
    "KeywordCategory",
    "PayloadMapping",
    "WebhookModel",
    "keyword_rules",
    "reply_info",
    "reply_media",
    "reply_media_by_category",
]
