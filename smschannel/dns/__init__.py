"""DNS for SMS subdomains: `check_cname` (is the CNAME published?), `DnsUpdater` (publish and remove
delegated records at the operator's authoritative server with RFC 2136 updates signed with TSIG) and
`LocalDnsServer` (a tiny authoritative server on loopback for `smschannel up`, the demo and the tests,
which takes the same updates).

Import from the submodules: `smschannel.dns.check` stays light (dnspython's resolver loads on the
first check); `smschannel.dns.server` and `smschannel.dns.update` load dnspython's message parsing.
"""

from __future__ import annotations
