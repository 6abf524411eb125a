resource "smschannel_twilio_credentials" "main" {
  name           = "main"
  account_sid    = "AC0123456789abcdef0123456789abcdef"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}

resource "smschannel_configuration" "marketing_us" {
  name           = "marketing-us"
  description    = "Marketing campaigns to US numbers"
  channel        = "sms"
  sms_type       = "marketing"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "+14155550100"
  countries      = ["US"]
}
