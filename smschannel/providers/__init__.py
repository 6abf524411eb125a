"""The Terraform provider, its vendor clients, and the hooks each resource type adds."""
