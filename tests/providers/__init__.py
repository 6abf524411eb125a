"""Vendor clients, local vendors (emulators) and their contracts."""
