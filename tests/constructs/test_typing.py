"""The constructs are typed for mypy (and pyright): a stack with a misspelt argument, a number for a text, a
wrong key in a block or a wrong use of an attribute fails `mypy --strict`; the example stack (`main.py`)
passes it. The types come from the models (tests/docs/test_cli.py checks the generated modules are fresh)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = '''
from cdktf import App, TerraformStack

from smschannel.constructs import ChannelConfiguration, TwilioCredentials, Webhook

app = App()
stack = TerraformStack(app, "channels")
twilio = TwilioCredentials(stack, "twilio", name="twilio-main", acount_sid="AC0123", auth_token_env="TOKEN")
config = ChannelConfiguration(stack, "marketing", name="m", channel="sms", sms_type="marketing",
                              credentials_id=twilio.id, sender_number=12345)
hook = Webhook(stack, "inbound", name="inbound", vendor="twilio", credentials_id=twilio,
               sender_number="+14155550100", opt_out={"keywords": ["STOP"], "replies": "x"})
url: int = hook.url
active: bool = config.status == "active"
Webhook(stack, "feedback", name="fb", vendor="twilio", credentials_id=twilio.id, sender_number="+14155550100",
        fuzzy_opt_out="yes")
app.synth()
'''


def test_mypy_strict_catches_mistakes_and_passes_the_example_stack(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(SAMPLE)
    (tmp_path / "main.py").write_text((ROOT / "main.py").read_text())
    # MYPYPATH stands in for a regular install (mypy cannot follow an editable install's import hook).
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull,
                           "--cache-dir", str(tmp_path / ".mypy_cache"), "sample.py", "main.py"],
                          cwd=tmp_path, env={**os.environ, "MYPYPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300)
    errors = [re.sub(r"\s+\[[a-z-]+\]$", "", line) for line in done.stdout.splitlines() if ": error: " in line]
    assert errors == [
        'sample.py:8: error: Missing named argument "account_sid" for "TwilioCredentials"',
        'sample.py:8: error: Argument "acount_sid" to "TwilioCredentials" has incompatible type "str"; expected '
        '"Never"',
        'sample.py:10: error: Argument "sender_number" to "ChannelConfiguration" has incompatible type "int"; '
        'expected "str"',
        'sample.py:12: error: Argument "opt_out" to "Webhook" has incompatible type "dict[str, Sequence[str]]"; '
        'expected "KeywordCategoryBlock | None"',
        'sample.py:13: error: Incompatible types in assignment (expression has type "str", variable has type "int")',
        'sample.py:16: error: Argument "fuzzy_opt_out" to "Webhook" has incompatible type "str"; expected '
        '"bool | IResolvable | None"',
    ], done.stdout + done.stderr
    assert done.stdout.strip().endswith("Found 6 errors in 1 file (checked 2 source files)")
