resource "smschannel_infobip_credentials" "main" {
  name     = "main"
  base_url = "https://xxxx.api.infobip.com"
  # The provider reads the API key from this environment variable when Terraform plans and applies.
  api_key_env           = "INFOBIP_API_KEY"
  validity_period_hours = 24
  inbound_number        = "+14155550175"
}
