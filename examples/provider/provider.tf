terraform {
  required_providers {
    smschannel = {
      # `smschannel provider install` lays the provider out where Terraform finds it.
      source = "smschannel/smschannel"
    }
  }
}

# The registry token is read from SMSCHANNEL_TOKEN: it never belongs in the configuration.
provider "smschannel" {
  # A registry on this machine (`smschannel serve`); a team's registry has an https:// address.
  endpoint = "http://127.0.0.1:8600"
  sandbox  = "prod"
}
