# The sandbox's defaults: configurations that leave execution_field unset take this one.
resource "smschannel_channel_settings" "this" {
  execution_field = "mobilePhone.number"
}
