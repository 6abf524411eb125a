# RCS goes out through a Sinch Conversation API app and falls back to SMS through a service plan. Both
# tokens are read from environment variables when Terraform plans and applies.
resource "smschannel_sinch_rcs_credentials" "main" {
  name              = "main"
  project_id        = "0123abcd-4567-89ef-0123-456789abcdef"
  app_id            = "01HAPPIDEXAMPLE0000000000"
  api_token_env     = "SINCH_RCS_API_TOKEN"
  service_plan_id   = "0123456789abcdef0123456789abcdef"
  sms_api_token_env = "SINCH_SMS_API_TOKEN"
  rate_limit_rps    = 20
}
