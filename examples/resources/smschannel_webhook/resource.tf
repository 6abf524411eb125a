resource "smschannel_twilio_credentials" "main" {
  name           = "main"
  account_sid    = "AC0123456789abcdef0123456789abcdef"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}

# Inbound messages to +14155550100, with keyword rules. Apply points the Twilio number at the webhook's `url`.
resource "smschannel_webhook" "inbound_us" {
  name           = "inbound-us"
  vendor         = "twilio"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "+14155550100"

  # A declared category replaces its default keywords: STOP is listed to keep it.
  opt_out {
    keywords = ["STOP", "QUIT", "CANCEL", "END", "UNSUBSCRIBE"]
    reply    = "Acme: you are unsubscribed and will get no more messages. Reply START to subscribe again."
  }

  opt_in {
    keywords = ["START", "UNSTOP", "SUBSCRIBE"]
    reply    = "Acme: you are subscribed again. Reply STOP to unsubscribe, HELP for help."
  }

  help {
    keywords = ["HELP", "INFO"]
    reply    = "Acme alerts: up to 4 messages a month. Reply STOP to unsubscribe. Message and data rates may apply."
  }

  # A message that looks like an opt-out (CANCIL, "please stop texting me") gets a question, not an opt-out.
  fuzzy_opt_out    = true
  fuzzy_auto_reply = "Acme: do you want to unsubscribe? Reply YES to confirm."
  default_reply    = "Acme: sorry, we did not understand. Reply HELP for help or STOP to unsubscribe."
}

# French-speaking customers write to +33612345678: undeclared categories keep the French defaults (opt-in
# START, OUI...; help AIDE, INFO), fuzzy opt-out reads French ("ne m'envoyez plus de SMS") and OUI confirms.
resource "smschannel_webhook" "inbound_fr" {
  name           = "inbound-fr"
  vendor         = "twilio"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "+33612345678"
  locale         = "fr"

  opt_out {
    keywords = ["STOP", "ARRET", "DESABONNER"]
    reply    = "Acme : vous ne recevrez plus nos SMS. Envoyez START pour vous réabonner."
  }

  fuzzy_opt_out    = true
  fuzzy_auto_reply = "Acme : voulez-vous ne plus recevoir nos SMS ? Répondez OUI pour confirmer."
}
