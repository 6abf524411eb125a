# MMS goes out through a Sinch Conversation API app. Replies and consent need Sinch SMS credentials too
# (smschannel_sinch_credentials).
resource "smschannel_sinch_mms_credentials" "main" {
  name       = "main"
  project_id = "0123abcd-4567-89ef-0123-456789abcdef"
  app_id     = "01HAPPIDEXAMPLE0000000000"
  # The provider reads the access token from this environment variable when Terraform plans and applies.
  api_token_env = "SINCH_MMS_API_TOKEN"
  region        = "us"
}
