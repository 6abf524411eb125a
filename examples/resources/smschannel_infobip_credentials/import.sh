# The import ID is the object's id in the registry (smschannel_infobip_credentials: ibcred_ followed by 16 hex digits).

# In a CDKTF project (smschannel synthesizes the stack first):
smschannel import smschannel_infobip_credentials.main ibcred_0123456789abcdef

# With plain Terraform:
terraform import smschannel_infobip_credentials.main ibcred_0123456789abcdef
