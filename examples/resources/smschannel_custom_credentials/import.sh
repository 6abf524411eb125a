# The import ID is the object's id in the registry (smschannel_custom_credentials: custcred_ followed by 16 hex digits).

# In a CDKTF project (smschannel synthesizes the stack first):
smschannel import smschannel_custom_credentials.main custcred_0123456789abcdef

# With plain Terraform:
terraform import smschannel_custom_credentials.main custcred_0123456789abcdef
