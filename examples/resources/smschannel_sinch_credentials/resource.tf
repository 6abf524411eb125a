resource "smschannel_sinch_credentials" "main" {
  name            = "main"
  service_plan_id = "0123456789abcdef0123456789abcdef"
  # The provider reads the API token from this environment variable when Terraform plans and applies.
  api_token_env  = "SINCH_API_TOKEN"
  region         = "us"
  inbound_number = "+14155550150"
}
