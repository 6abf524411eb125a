# A prefix under a domain already delegated to smschannel: smschannel publishes the CNAME record itself.
resource "smschannel_subdomain" "go" {
  mode          = "delegated"
  prefix        = "go"
  parent_domain = "links.smschannel.test"
}

# Your own domain: publish the CNAME record named in `cname_name` pointing to `cname_value`.
resource "smschannel_subdomain" "links" {
  mode   = "custom"
  domain = "sms.example.com"
}

output "links_cname_record" {
  value = "${smschannel_subdomain.links.cname_name} CNAME ${smschannel_subdomain.links.cname_value}"
}
