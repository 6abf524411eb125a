"""The registry: the channel control plane (objects per sandbox, tokens and scopes, inbound webhooks)."""
