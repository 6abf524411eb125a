"""DNS for SMS subdomains: `check_cname` (is the CNAME published?) and `LocalDnsServer` (a tiny
authoritative server on loopback for `smschannel up`, the demo and the tests).

Import from the submodules: `smschannel.dns.check` stays light (dnspython's resolver loads on the
first check); `smschannel.dns.server` loads dnspython's message parsing.
"""

from __future__ import annotations
