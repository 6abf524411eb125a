# The state in PostgreSQL, locked while Terraform writes it: two pipeline runs never apply at once (the
# second waits with -lock-timeout, or fails on the lock without changing anything). The connection string
# comes from PG_CONN_STR (or PGUSER, PGPASSWORD, PGHOST...), so no password is written here.
terraform {
  backend "pg" {
    schema_name = "smschannel_prod"
  }

  required_providers {
    smschannel = {
      source = "smschannel/smschannel"
    }
  }
}

# Or in S3, locked with S3's own lock file (Terraform 1.10+):
#
# terraform {
#   backend "s3" {
#     bucket       = "acme-terraform-state"
#     key          = "smschannel/prod.tfstate"
#     region       = "eu-west-1"
#     use_lockfile = true
#   }
# }
