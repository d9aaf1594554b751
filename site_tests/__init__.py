"""Real builds of small vaults, asserted on their HTML (and in headless Chromium)."""
