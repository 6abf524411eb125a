resource "smschannel_twilio_credentials" "main" {
  name        = "main"
  account_sid = "AC0123456789abcdef0123456789abcdef"
  # The provider reads the auth token from this environment variable when Terraform plans and applies.
  auth_token_env = "TWILIO_AUTH_TOKEN"
  inbound_number = "+14155550123"
}
