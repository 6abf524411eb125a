"""What the generator reads from an HCL example (python-hcl2 parses it), and its Terraform JSON form."""

from __future__ import annotations

import pytest

from smschannel.docs import DocsError, Expression, HclBlock, Reference, iter_references, read_hcl, terraform_json
from tests.docs.support import LAYOUT


def test_read_hcl_reads_blocks_literals_references_and_keeps_other_expressions() -> None:
    body = read_hcl('''
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
    assert block.body == {
        "name": 'a "quoted" name', "count": 2, "enabled": True,
        "ids": [Reference(("smschannel_twilio_credentials", "main", "id")), "x"], "tags": {"team": "growth"},
        "upper": Expression('upper("stop")'), "text": "Hello ${var.name}\n",
        "opt_out": {"keywords": ["STOP"]}, "custom": [{"keywords": ["A"]}, {"keywords": ["B"]}],
    }


def test_strings_keep_their_templates_and_objects_their_quoted_keys() -> None:
    body = read_hcl(r'''
resource "smschannel_custom_credentials" "main" {
  oauth_body = "{\"client_id\": \"{{appId}}\", \"tab\": \"\t\", \"e\": \"\u00e9\"}"
  headers = {
    "X-Campaign-Source" = "smschannel"
  }
  literal  = "$${not_a_reference}"
  ratio    = -1.5
  big      = 1e3
  nothing  = null
  empty    = []
  raw      = <<EOT
keeps \n and ${x}
EOT
}

output "links_cname_record" {
  value = "${smschannel_subdomain.links.cname_name} CNAME ${smschannel_subdomain.links.cname_value}"
}
''')
    assert body.blocks[0].body == {
        "oauth_body": '{"client_id": "{{appId}}", "tab": "\t", "e": "é"}',
        "headers": {"X-Campaign-Source": "smschannel"},
        "literal": "$${not_a_reference}", "ratio": -1.5, "big": 1000.0, "nothing": None, "empty": [],
        "raw": "keeps \\n and ${x}\n",
    }
    output = body.blocks[1]
    assert output == HclBlock("output", ("links_cname_record",), {
        "value": "${smschannel_subdomain.links.cname_name} CNAME ${smschannel_subdomain.links.cname_value}"})
    assert list(iter_references(body)) == [Reference(("x",)),
                                           Reference(("smschannel_subdomain", "links", "cname_name")),
                                           Reference(("smschannel_subdomain", "links", "cname_value"))]


def test_blocks_keep_their_order_across_types() -> None:
    body = read_hcl('''
resource "a" "one" {}
output "o" { value = a.one.id }
import {
  to = a.two
  id = "x"
}
resource "a" "two" {}
''')
    assert [(b.type, b.labels) for b in body.blocks] == [
        ("resource", ("a", "one")), ("output", ("o",)), ("import", ()), ("resource", ("a", "two"))]
    assert body.blocks[2].body == {"to": Reference(("a", "two")), "id": "x"}


def test_terraform_json_writes_references_and_expressions_as_templates() -> None:
    value = read_hcl('resource "a" "b" {\n  ids = [a.c.id, "x"]\n  n = max(1, 2)\n  m = { k = a.c.name }\n}\n')
    assert terraform_json(value.blocks[0].body) == {"ids": ["${a.c.id}", "x"], "n": "${max(1, 2)}",
                                                    "m": {"k": "${a.c.name}"}}


def test_every_example_is_read() -> None:
    examples = sorted(LAYOUT.examples.rglob("*.tf"))
    assert examples
    for path in examples:
        assert read_hcl(path.read_text(), filename=LAYOUT.relative(path)).blocks, path


@pytest.mark.parametrize(("text", "message"), [
    ('resource "a" "b" {\n  name = "x"\n',
     "examples/bad.tf:3: unexpected end of file (a block or a bracket is not closed)"),
    ('resource "a" "b" {\n  name = @\n}\n', "examples/bad.tf:2: unexpected '@'"),
    ('resource "a" "b" {\n  name = "x" y\n}\n', "examples/bad.tf:3: unexpected '}'"),
    ('name = "x"\n', "examples/bad.tf: name is set outside a block: an example holds only blocks"),
    ('resource "a" "b" {\n  x = 1\n  x {}\n}\n', "examples/bad.tf: resource a b: Attribute x is already defined."),
])
def test_what_cannot_be_read_is_named_with_its_file_and_line(text: str, message: str) -> None:
    with pytest.raises(DocsError) as caught:
        read_hcl(text, filename="examples/bad.tf")
    assert str(caught.value) == message
