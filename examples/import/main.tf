# Objects that already exist in the registry (made by hand, or by another tool) and that Terraform should
# manage from now on. Each resource block describes the object as it is; each import block names it by its
# id in the registry. `terraform plan` shows them as "will be imported"; `terraform apply` records them.

import {
  to = smschannel_twilio_credentials.main
  id = "twcred_0123456789abcdef"
}

resource "smschannel_twilio_credentials" "main" {
  name           = "main"
  account_sid    = "AC0123456789abcdef0123456789abcdef"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}

import {
  to = smschannel_configuration.marketing_us
  id = "cfg_0123456789abcdef"
}

resource "smschannel_configuration" "marketing_us" {
  name           = "marketing-us"
  channel        = "sms"
  sms_type       = "marketing"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "+14155550100"
}
