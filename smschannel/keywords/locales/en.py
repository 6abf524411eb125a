"""English: the keywords of SPEC.md (the CTIA set) and the English opt-out phrases.

The phrases are also read in every other locale: STOP is understood everywhere, and so is "stop
texting me".
"""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import QWERTY, Locale, Phrase, words

__all__ = ["ENGLISH", "FILLER", "ORDINARY", "PHRASES"]

ORDINARY: Final = words(
    """
    and at bend cancelli cancello cancels cancer carcel chancel cincel ende ends ene fend go lend mend
    ned no non not now on qui quiet quite quits quoit send shop so sop spot step stool stoop strop
    suit to top und
    """
)
"""Words that sit within typo distance of the default keywords (English and the other five languages)."""

FILLER: Final = words(
    """
    please pls plz plse plez pleas pleaze now right away rightnow asap immediately thanks thank
    you u thx ty tx thankyou ok okay k kk me it all them this that these those texts text txt txts
    msgs msg messages message sms sending texting messaging just already again sir maam hi hey
    hello fucking fuckin fuck freaking effing damn bloody omg
    """
)

_MSG_NOUN: Final = (
    r"(?:texts?|txts?|messages?|msgs?|sms|notifications?|alerts?|spam|marketing|promotions?|promos?"
    r"|offers|ads|advertising|subscriptions?|mailing list|list|updates|reminders|emails?)"
)
_MSG_ING: Final = (
    r"(?:texting|txting|texing|messaging|msging|sending|contacting|spamming|bothering|harassing"
    r"|emailing|calling)"
)
_MSG_VERB: Final = r"(?:text|txt|message|msg|contact|sms|spam|email|call|send)"
_DET: Final = (
    r"(?:(?:all|the|these|those|this|your|ur|my|any|of|more|further|future|me|us|fucking|freaking|damn)"
    r" )*"
)
_NEGATED: Final = r"(?<!dont )(?<!do not )(?<!never )(?<!cant )(?<!cannot )(?<!wont )(?<!not )(?<!didnt )"
_VERB_OUT: Final = r"(?:stop|quit|end|cancel|unsubscribe)"

PHRASES: Final = (
    # stop texting me / cancel my subscription / end these texts
    Phrase("stop quit end cancel unsubscribe",
           rf"\b{_NEGATED}{_VERB_OUT} {_DET}(?:{_MSG_ING}|{_MSG_NOUN})\b"),
    # i want to unsubscribe / unsubscribe me
    Phrase("unsubscribe unsub", rf"\b{_NEGATED}(?:unsubscribe|unsub)\b"),
    # remove me from this list / delete my number
    Phrase("remove delete erase",
           r"\b(?:remove|delete|erase) (?:me|us|my (?:number|phone|cell|info|details|contact))\b"),
    # take me off your list / get me off this list
    Phrase("take get drop put", r"\b(?:take|get|drop|put) (?:me|us|my (?:number|phone|cell)) (?:off|out of|from)\b"),
    # opt out / opt me out / optout
    Phrase("opt opting optout", rf"\b{_NEGATED}(?:opt(?:ing)? (?:me |us )?out|optout|opt out)\b"),
    # don't text me / never contact me again
    Phrase("dont do never stop",
           rf"\b(?:dont|do not|never|stop) (?:ever )?{_MSG_VERB} (?:me|us|this number|my number)\b"
           r"(?! (?:back|until|till|before|after|tomorrow|today|tonight|yet|later|when|while|if|at|on|right))"),
    # no more messages / no more
    Phrase("no", rf"\bno (?:more|further) {_DET}{_MSG_NOUN}\b"),
    Phrase("no", r"^(?:please )?no (?:more|further)(?: please| pls| thanks| thank you)?$"),
    # i don't want these messages / i no longer want to receive texts
    Phrase("dont do no",
           rf"\b(?:dont|do not|no longer) (?:want|wish|need|like) (?:to (?:receive|get) )?{_DET}{_MSG_NOUN}\b"),
    Phrase("leave", r"\bleave (?:me|us) alone\b"),
    Phrase("wrong", r"\bwrong (?:number|person)\b"),
    Phrase("not", r"^(?:im |i am |sorry )?not interested(?: thanks| thank you| sorry)?$"),
    # stop please i'm busy
    Phrase("stop quit end cancel unsubscribe",
           rf"^(?:please |pls )?{_VERB_OUT} (?:please|pls|plz|now|immediately|asap)\b"),
)
"""English opt-out phrases; a negation before the verb cancels one (``don't stop texting me``)."""

ENGLISH: Final = Locale(
    code="en",
    name="English",
    opt_out=("STOP", "QUIT", "CANCEL", "END", "UNSUBSCRIBE", "NO"),
    opt_in=("SUBSCRIBE", "YES", "UNSTOP", "START", "CONTINUE", "RESUME", "BEGIN"),
    help=("HELP", "INFO"),
    confirm=("YES", "Y"),
    keyboard=QWERTY,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=frozenset(),
    phrases=PHRASES,
    aliases={"unsub": "unsubscribe"},
)
