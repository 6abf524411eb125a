"""One router per object type (generated from the models) plus the routes about the caller."""
