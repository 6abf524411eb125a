# The import ID is the object's id in the registry (smschannel_sinch_mms_credentials: mmscred_ followed by 16 hex digits).

# In a CDKTF project (smschannel synthesizes the stack first):
smschannel import smschannel_sinch_mms_credentials.main mmscred_0123456789abcdef

# With plain Terraform:
terraform import smschannel_sinch_mms_credentials.main mmscred_0123456789abcdef
