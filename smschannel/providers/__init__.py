"""The Terraform provider, its vendor clients, and the hooks each resource type adds."""

ADDRESS = "registry.terraform.io/smschannel/smschannel"
"""The provider's address in Terraform (source `smschannel/smschannel` on the default registry host)."""
