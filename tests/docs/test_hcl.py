"""What the generator reads from an HCL example."""

from __future__ import annotations

from smschannel.docs import Expression, Reference, block_value, parse_hcl


def test_parse_hcl_reads_blocks_literals_references_and_keeps_other_expressions() -> None:
    body = parse_hcl('''
resource "smschannel_webhook" "w" {
  name    = "a \\"quoted\\" name" # a comment
  count   = 2
  enabled = true
  ids     = [smschannel_twilio_credentials.main.id, "x"]
  tags = {
    team = "growth"
  }
  upper = upper("stop")
  text  = <<-EOT
    Hello ${var.name}
  EOT
  opt_out {
    keywords = ["STOP"]
  }
  custom { keywords = ["A"] }
  custom { keywords = ["B"] }
}
''')
    block = body.blocks[0]
    assert (block.type, block.labels) == ("resource", ("smschannel_webhook", "w"))
    assert block_value(block.body) == {
        "name": 'a "quoted" name', "count": 2, "enabled": True,
        "ids": [Reference(("smschannel_twilio_credentials", "main", "id")), "x"], "tags": {"team": "growth"},
        "upper": Expression('upper("stop")'), "text": "Hello ${var.name}\n",
        "opt_out": {"keywords": ["STOP"]}, "custom": [{"keywords": ["A"]}, {"keywords": ["B"]}],
    }
