resource "smschannel_custom_credentials" "main" {
  name            = "acme-sms"
  provider_name   = "Acme SMS"
  provider_app_id = "app-acme"
  provider_url    = "https://api.acme-sms.example/v1/messages"
  verify_url      = "https://api.acme-sms.example/v1/account"
  auth_type       = "oauth2"
  oauth_url       = "https://auth.acme-sms.example/oauth/token"
  # The token request names the secret by placeholder; the provider reads it from the environment.
  oauth_body    = "{\"grant_type\": \"client_credentials\", \"client_id\": \"{{appId}}\", \"client_secret\": \"{{apiToken}}\"}"
  api_token_env = "CUSTOM_API_TOKEN"
  # Mutual TLS: the certificate comes from a file, the key from the environment.
  mtls             = true
  client_cert_file = "certs/acme-client.pem"
  client_key_env   = "CUSTOM_CLIENT_KEY"
  headers = {
    "X-Campaign-Source" = "smschannel"
  }
  payload_template = "{\"to\": \"{{toNumber}}\", \"from\": \"{{fromNumber}}\", \"text\": \"{{message}}\"}"
  rate_limit_rps   = 10
}
