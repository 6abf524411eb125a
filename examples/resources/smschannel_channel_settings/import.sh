# The import ID is the sandbox's name (one smschannel_channel_settings per sandbox: the provider's sandbox).

# In a CDKTF project (smschannel synthesizes the stack first):
smschannel import smschannel_channel_settings.this prod

# With plain Terraform:
terraform import smschannel_channel_settings.this prod
