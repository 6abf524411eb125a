"""Vendor-shaped inbound requests, built the way each vendor sends them (Twilio's form with its
signature, Sinch's MO JSON, Infobip's `results`, a custom vendor's JSON through its mapping), so
`smschannel inbound simulate` exercises the real webhook route."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from smschannel.inbound import PayloadPath, twilio_signature


def _msisdn(number: str) -> str:
    return number.removeprefix("+")


def _put(document: Any, path: PayloadPath, value: Any) -> Any:
    """Set `value` at `path` in a nested JSON document, creating objects and lists on the way."""
    steps = list(path.steps)
    if not steps:
        return value
    root = document if document is not None else ([] if isinstance(steps[0], int) else {})
    node: Any = root
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        nxt: Any = value if last else ([] if isinstance(steps[index + 1], int) else {})
        if isinstance(step, int):
            while len(node) <= step:
                node.append(None)
            if last or node[step] is None:
                node[step] = nxt
            node = node[step]
        else:
            if last or step not in node:
                node[step] = nxt
            node = node[step]
    return root


def vendor_request(vendor: str, webhook: Mapping[str, Any], credentials: Mapping[str, Any],
                   secrets: Mapping[str, str], *, profile_number: str, text: str) -> tuple[str, dict[str, str], bytes]:
    """The request ID, the headers and the body a vendor would post to the webhook for one message."""
    sender, url = webhook["sender_number"], webhook["url"]
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    if vendor == "twilio":
        sid = "SM" + rand.token_hex(16)
        params = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": credentials["account_sid"],
                  "From": profile_number, "To": sender, "Body": text, "NumMedia": "0", "NumSegments": "1"}
        from urllib.parse import urlencode

        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio_signature(secrets["auth_token"], url, params)}
        return sid, headers, urlencode(params).encode()
    if vendor == "sinch":
        request_id = "01" + rand.token_hex(12).upper()
        body: Any = {"type": "mo_text", "id": request_id, "from": _msisdn(profile_number), "to": _msisdn(sender),
                     "body": text, "received_at": now, "operator_id": "00000"}
    elif vendor == "infobip":
        request_id = rand.token_hex(16)
        body = {"results": [{"messageId": request_id, "from": _msisdn(profile_number), "to": _msisdn(sender),
                             "text": text, "cleanText": text, "keyword": text.split(" ")[0].upper() if text else "",
                             "receivedAt": now, "smsCount": 1}],
                "messageCount": 1, "pendingMessageCount": 0}
    elif vendor == "sinch_conversational":
        request_id = "01" + rand.token_hex(12).upper()
        body = {"app_id": credentials.get("app_id"), "accepted_time": now, "message": {
            "id": request_id, "direction": "TO_APP", "accept_time": now,
            "contact_message": {"text_message": {"text": text}},
            "channel_identity": {"channel": "RCS", "identity": _msisdn(profile_number)}}}
    elif vendor == "custom":
        request_id = rand.token_hex(16)
        mapping = webhook.get("payload_mapping") or {}
        values = {"message": text, "profile_number": profile_number, "request_id": request_id,
                  "timestamp": now, "inbound_number": sender}
        body = None
        for field, path in mapping.items():
            if path and field in values:
                body = _put(body, PayloadPath.parse(path), values[field])
    else:
        raise ValueError(f"no inbound format for vendor {vendor}")
    return request_id, {"Content-Type": "application/json"}, json.dumps(body).encode()


__all__ = ["vendor_request"]
