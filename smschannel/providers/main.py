"""The module the provider mirror's launcher runs (`python -m smschannel.providers.main`).

The launcher (`smschannel.terraform.runner`) must keep its exact bytes: a `.terraform.lock.hcl` holds its
hash, so a lock file made by any version verifies with any other. It therefore keeps naming this module,
which only hands over to the Terraform plugin (`smschannel.terraform.main`). Do not move or rename it.
"""

from __future__ import annotations

from smschannel.terraform.main import main

if __name__ == "__main__":
    main()
