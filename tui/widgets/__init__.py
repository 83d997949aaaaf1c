"""The widgets of claimdesk's screens."""
